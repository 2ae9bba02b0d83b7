"""The store's watch tables (see SCHEMA in store/sqlite.py): what each saved search matched and what each
channel delivered. Plain dicts in and out: monitor/watches.py gives them meaning."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from store.errors import Duplicate


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class WatchExists(ValueError):  # noqa: N818
    """A watch of that name is there already."""


class WatchStore:
    def __init__(self, db, made: bool = True):
        self.db = db
        self.made = made  # False for a store no warta with watches has written yet, opened read-only: no watches

    def add(self, watch: dict) -> None:
        try:
            with self.db:
                self.db.execute("INSERT INTO watches (name, query, outlets, regions, actors, webhook, email, created) "
                                "VALUES (?,?,?,?,?,?,?,?)",
                                (watch["name"], watch["query"], json.dumps(watch["outlets"]),
                                 json.dumps(watch["regions"]), json.dumps(watch["actors"]), watch["webhook"],
                                 watch["email"], _now()))
        except Duplicate:
            raise WatchExists(watch["name"]) from None

    def all(self) -> list[dict]:
        if not self.made:
            return []
        rows = self.db.execute("SELECT * FROM watches ORDER BY name")
        return [{**dict(r), **{k: json.loads(r[k]) for k in ("outlets", "regions", "actors")}} for r in rows]

    def remove(self, name: str) -> bool:
        with self.db:
            gone = self.db.execute("DELETE FROM watches WHERE name = ?", (name,)).rowcount
            self.db.execute("DELETE FROM watch_stories WHERE watch = ?", (name,))
            self.db.execute("DELETE FROM watch_deliveries WHERE watch = ?", (name,))
        return bool(gone)

    def story_ids(self, name: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT story FROM watch_stories WHERE watch = ?", (name,))}

    def add_stories(self, name: str, stories: list[dict], baseline: bool) -> None:
        with self.db:
            self.db.executemany(
                "INSERT INTO watch_stories (watch, story, url, title, outlet, published, found, baseline) "
                "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                [(name, s["story"], s["url"], s["title"], s["outlet"], s["published"], _now(), int(baseline))
                 for s in stories])

    def stories(self, name: str, limit: int = 50) -> list[dict]:
        """The stories found since the watch was made, newest found first."""
        rows = self.db.execute("SELECT * FROM watch_stories WHERE watch = ? AND baseline = 0 "
                               "ORDER BY found DESC, published DESC LIMIT ?", (name, limit))
        return [dict(r) for r in rows]

    def pending(self, name: str, channel: str) -> list[dict]:
        """Stories found since the watch was made that the channel has not delivered yet, oldest first."""
        rows = self.db.execute(
            "SELECT s.* FROM watch_stories s LEFT JOIN watch_deliveries d ON d.watch = s.watch AND "
            "d.story = s.story AND d.channel = ? WHERE s.watch = ? AND s.baseline = 0 AND d.delivered IS NULL "
            "ORDER BY s.found, s.published", (channel, name))
        return [dict(r) for r in rows]

    def record(self, name: str, stories: list[str], channel: str, error: str = "") -> None:
        """A delivery attempt of these stories on a channel: delivered now, or failed with error."""
        with self.db:
            self.db.executemany(
                "INSERT INTO watch_deliveries (watch, story, channel, delivered, attempts, last_error) "
                "VALUES (?,?,?,?,1,?) ON CONFLICT (watch, story, channel) DO UPDATE SET delivered = excluded.delivered,"
                " attempts = watch_deliveries.attempts + 1, last_error = excluded.last_error",
                [(name, story, channel, None if error else _now(), error) for story in stories])

    def failures(self) -> list[dict]:
        """Per watch and channel, the deliveries still failing: how many stories wait, the last error."""
        if not self.made:
            return []
        rows = self.db.execute(
            "SELECT watch, channel, COUNT(*) AS waiting, MAX(attempts) AS attempts, (SELECT f.last_error FROM "
            "watch_deliveries f WHERE f.watch = d.watch AND f.channel = d.channel AND f.delivered IS NULL AND "
            "f.last_error != '' ORDER BY f.attempts DESC LIMIT 1) AS last_error FROM watch_deliveries d "
            "WHERE delivered IS NULL AND last_error != '' GROUP BY watch, channel ORDER BY watch, channel")
        return [dict(r) for r in rows]
