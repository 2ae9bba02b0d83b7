"""One rebuild of the index from an existing store, timed: for comparing two trees on the same articles.

    python bench/rebuild.py STORE [--label TEXT]

Builds a fresh index of STORE in a temporary directory, as `warta index` would from nothing (the store
synced, the collector's heap frozen as bench/index.py does), prints articles/s, and removes the index. Run it
from each tree in turn (PYTHONPATH=that tree), alternating, on a quiet machine.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.index import update  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", help="a store location: a path or postgresql://...")
    parser.add_argument("--label", default=str(ROOT))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="warta-rebuild-") as tmp:
        os.sync()
        gc.collect()
        gc.freeze()
        report = update(Path(tmp) / "index", args.store)
    print(f"{args.label}: {report.new} articles in {report.seconds:.1f} s, {report.new / report.seconds:.0f} "
          "articles/s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
