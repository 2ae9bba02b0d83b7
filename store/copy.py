"""`warta store copy`: a store moved between engines (SQLite to PostgreSQL, or back), without loss.

Every table is read in order in chunks and each chunk written in one transaction, keys that are there
already left alone: a copy killed at any moment is run again with the same arguments and goes on from the
last chunk the target holds. Articles go in the order they were first stored, so the target's rebuilds read
them in that order too. The target gets a change log of its own (its triggers log every article copied) and
keeps its own identity: an index built from the source updates from the target by comparing every article.
At the end the copy is checked: the same number of rows in every table, and every article's content hash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from store.sqlite import Store

# table -> its key (what a chunk is ordered and resumed by); articles by the order they were first stored
TABLES = {
    "articles": ("rowid",),
    "aliases": ("url",),
    "rejects": ("url",),
    "crawl_runs": ("id",),
    "watches": ("name",),
    "watch_stories": ("watch", "story"),
    "watch_deliveries": ("watch", "story", "channel"),
}
CHUNK = 500


class CopyError(RuntimeError):
    """The target holds another store's data, or the copy does not match its source."""


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows in the target after the copy
    copied: dict[str, int] = field(default_factory=dict)  # table -> rows this run wrote

    def summary(self) -> str:
        return "; ".join(f"{t}: {self.rows[t]} ({self.copied[t]} copied now)" for t in TABLES)


def copy(source: Store, target: Store, progress: Callable[[str, int], None] | None = None,
         chunk: int = CHUNK) -> CopyReport:
    """Copy every row of source into target (see the module's doc); raises CopyError on a mismatch."""
    origin = source.identity()
    marked = target.db.execute("SELECT value FROM store_meta WHERE key = 'copied_from'").fetchone()
    if marked is None and target.count():
        raise CopyError("the target store holds articles already; copy into an empty store")
    if marked is not None and marked[0] != origin:
        raise CopyError("the target store holds a copy of another store")
    with target.db:
        target.db.execute("INSERT INTO store_meta (key, value) VALUES ('copied_from', ?) ON CONFLICT (key) DO "
                          "NOTHING", (origin,))
    report = CopyReport()
    for table, key in TABLES.items():
        # a store from before a table existed (opened read-only, so not migrated) has none of its rows
        report.copied[table] = _copy_table(source, target, table, key, chunk, progress) \
            if source.has_table(table) else 0
        report.rows[table] = _count(target, table)
    target.after_copy()
    _check(source, target, report)
    return report


def _names(store: Store, table: str) -> list[str]:
    cur = store.db.execute(f"SELECT * FROM {table} LIMIT 0")
    return [d[0] for d in cur.description if d[0] != "rowid"]


def _resume_after(source: Store, target: Store, table: str, key: tuple[str, ...]) -> tuple | None:
    """The source key after which to go on: the last row the target holds (for articles, the last one
    written, found in the source by its URL)."""
    if table == "articles":
        last = target.db.execute("SELECT url FROM articles ORDER BY rowid DESC LIMIT 1").fetchone()
        if last is None:
            return None
        found = source.db.execute("SELECT rowid FROM articles WHERE url = ?", (last[0],)).fetchone()
        return (found[0],) if found else None
    order = ", ".join(key)
    last = target.db.execute(f"SELECT {order} FROM {table} ORDER BY {order} DESC LIMIT 1").fetchone()
    return tuple(last) if last else None


def _copy_table(source: Store, target: Store, table: str, key: tuple[str, ...], chunk: int,
                progress: Callable[[str, int], None] | None) -> int:
    names = _names(source, table)
    wanted = set(_names(target, table))
    names = [n for n in names if n in wanted]
    select_key = [k for k in key if k not in names]  # articles: rowid, read but not written
    columns = ", ".join(select_key + names)
    order = ", ".join(key)
    after = _resume_after(source, target, table, key)
    insert = (f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
              "ON CONFLICT DO NOTHING")
    copied = 0
    while True:
        where, args = "", ()
        if after is not None:
            where, args = f" WHERE ({order}) > ({', '.join('?' * len(key))})", after
        rows = source.db.execute(f"SELECT {columns} FROM {table}{where} ORDER BY {order} LIMIT ?",
                                 (*args, chunk)).fetchall()
        if not rows:
            return copied
        with target.db:
            target.db.executemany(insert, [tuple(r)[len(select_key):] for r in rows])
        copied += len(rows)
        last = rows[-1]
        after = tuple(last[:len(select_key)]) if select_key else tuple(last[names.index(k)] for k in key)
        if progress:
            progress(table, copied)


def _count(store: Store, table: str) -> int:
    return store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _check(source: Store, target: Store, report: CopyReport) -> None:
    def count(t: str) -> int:
        return _count(source, t) if source.has_table(t) else 0

    wrong = [f"{t}: {count(t)} in the source, {report.rows[t]} in the target" for t in TABLES
             if count(t) != report.rows[t]]
    if not wrong and source.hashes() != target.hashes():
        wrong.append("articles: the content hashes differ")
    if wrong:
        raise CopyError("the copy does not match its source: " + "; ".join(wrong))
