"""Where tuireader keeps its configuration and data (platformdirs; XDG on Linux)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "tuireader"
CONFIG_FILE = "config.toml"
DATABASE_FILE = "tuireader.db"


@dataclass(frozen=True, slots=True)
class Paths:
    """The config file and the data directory in use."""

    config_file: Path
    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_FILE


def resolve_paths(config: Path | None = None, data_dir: Path | None = None) -> Paths:
    """Return the paths to use, with explicit arguments winning over the platform defaults."""
    config_file = config or Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE
    data = data_dir or Path(platformdirs.user_data_dir(APP_NAME))
    return Paths(config_file=config_file.expanduser(), data_dir=data.expanduser())
