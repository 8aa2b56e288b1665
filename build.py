"""Build the learning hubs site: python build.py [build|check] --help"""
from hubsite.cli import main

raise SystemExit(main())
