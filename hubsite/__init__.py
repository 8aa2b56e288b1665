"""hubsite: a static site generator for a directory of learning hubs."""

__version__ = "0.1.0"
