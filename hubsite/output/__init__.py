"""Stage 4, output: the one writer. The spare tree brought up to date and swapped in at once; what
is recorded about both trees; the digest of a build's inputs; the lock for one build at a time.
"""
