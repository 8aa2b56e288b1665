"""Stage 4, output: the one writer. A new tree beside the site, swapped in at once; the manifest
of what is in place; the digest of a build's inputs; the lock for one build at a time.
"""
