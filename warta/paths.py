"""Where warta keeps its data: one directory holding the store, the index and the logs."""

from __future__ import annotations

import os
import sqlite3
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


SQLITE_HEADER = b"SQLite format 3\x00"


def data_problem(data: Path) -> str:
    """Why data cannot be warta's data directory ('' when it can): it, or a parent, is not a directory."""
    for path in (data, *data.absolute().parents):
        if path.exists():
            if not path.is_dir():
                what = "is not a directory" if path == data else f"is inside {path}, which is not a directory"
                return f"data directory {data} (--data or WARTA_DATA): {what}"
            return ""
    return ""


def store_problem(data: Path) -> str:
    """Why the store in data cannot be opened ('' when it can or does not exist yet), read without writing."""
    path = store_path(data)
    if not path.exists():
        return ""
    if not path.is_file():
        return f"{path}: the store is not a file"
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"{path}: cannot read the store: {exc.strerror or exc}"
    if head and head != SQLITE_HEADER:
        return f"{path}: not a warta store (not an SQLite database); move it away or choose another --data"
    try:  # read-only: a damaged file is found here, before a command writes anything beside it
        db = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            db.close()
    except sqlite3.OperationalError:  # busy or locked: the store is fine, the command will wait for it
        return ""
    except sqlite3.DatabaseError as exc:
        return f"{path}: the store is damaged ({exc}); move it away or choose another --data"
    return ""
