"""Build the learning hubs site: python build.py [build|check] --help"""
import os
import sys

from hubsite.cli import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
# Out without freeing the build's objects one by one: a build of 10,000 hubs holds millions, and
# Python's teardown spent seconds on them after the work was done (every file is closed by now).
os._exit(code)
