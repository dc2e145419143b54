"""tuireader: a terminal news reader that reads right-to-left languages right."""

__version__ = "0.1.0"
