"""Stage 1, content: the files of content/ into validated records, every problem positioned.

reader (YAML with positions) -> fields and records (typed, immutable) -> validate (every file,
then what only the files together reveal) -> ValidContent. settings.py is site.yaml's part.
"""
