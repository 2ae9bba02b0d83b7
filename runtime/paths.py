"""Where warta keeps its data: one directory holding the store, the index and the logs."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir(option: str | None = None) -> Path:
    """--data wins over WARTA_DATA, which wins over ./data."""
    return Path(option or os.environ.get("WARTA_DATA") or "data")


def store_location(data: Path) -> str:
    """Where the store is: $WARTA_STORE (which `--store` sets) when given, a path or sqlite:///path or
    postgresql://user@host:port/db; else data/warta.sqlite3."""
    return os.environ.get("WARTA_STORE") or str(data / "warta.sqlite3")


def index_path(data: Path) -> Path:
    return data / "index"


def log_dir(data: Path) -> Path:
    return data / "logs"


def data_problem(data: Path) -> str:
    """Why data cannot be warta's data directory ('' when it can): it, or a parent, is not a directory."""
    for path in (data, *data.absolute().parents):
        if path.exists():
            if not path.is_dir():
                what = "is not a directory" if path == data else f"is inside {path}, which is not a directory"
                return f"data directory {data} (--data or WARTA_DATA): {what}"
            return ""
    return ""
