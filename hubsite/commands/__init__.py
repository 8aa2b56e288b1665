"""The commands beside the build: serve (preview), new (starter records), geocode (the only one
that goes online), links (check a built site's links). Each uses the pipeline; none is a stage.
"""
