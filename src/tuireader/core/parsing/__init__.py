"""The parts of feed parsing; ``tuireader.core.parse.parse_feed`` is the entry point."""
