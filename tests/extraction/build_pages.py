"""Write the mirror part of the evaluation set: `python -m tests.extraction.build_pages`.

Pages are rendered by the mirror's theme templates under the outlets' real host names, from the seed
articles and the news the mirror writes from its grammar (never the shared corpus, which stays out of the
repository). Their expected text is the mirror's truth (what the generator wrote, by construction); the
hand-written pages (`pages/hand-*`) are left alone. Re-run after a theme template changes.
"""

from __future__ import annotations

import sys

from mirror.build import MirrorConfig
from tests.extraction.evaluation import PAGES, mirror_cases, save

CONFIG = MirrorConfig(articles_per_site=6, reserve_per_site=0, use_corpus=False, seed=20251)


def main() -> int:
    for old in PAGES.glob("mirror-*"):
        old.unlink()
    count = 0
    for case, charset in mirror_cases(CONFIG, listings=True):
        save(case, charset=charset)
        count += 1
    print(f"wrote {count} pages to {PAGES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
