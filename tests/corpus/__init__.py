"""Public feed corpora (feedparser's test files, the W3C Feed Validator's test cases) run
through the real parse → store → layout path; see ``tests/data/corpora/README.md``."""
