"""Where warta keeps its data: one directory holding the store, the index and the logs."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir(option: str | None = None) -> Path:
    """--data wins over WARTA_DATA, which wins over ./data."""
    return Path(option or os.environ.get("WARTA_DATA") or "data")


def store_path(data: Path) -> Path:
    return data / "warta.sqlite3"


def index_path(data: Path) -> Path:
    return data / "index"


def log_dir(data: Path) -> Path:
    return data / "logs"
