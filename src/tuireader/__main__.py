"""``python -m tuireader``."""

from tuireader.cli import main

if __name__ == "__main__":
    main()
