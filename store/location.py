"""Where a store is, as --store and WARTA_STORE give it: a file path, sqlite:///path, or a PostgreSQL URL."""

from __future__ import annotations

from pathlib import Path


def is_server(location: str | Path) -> bool:
    """A store on a database server (postgresql://...), not a file."""
    return str(location).startswith(("postgresql://", "postgres://"))


def file_path(location: str | Path) -> Path:
    """The file of a store that is not on a server (sqlite:///path is the path)."""
    return Path(str(location).removeprefix("sqlite://"))
