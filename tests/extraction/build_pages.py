"""Write the mirror part of the evaluation set: `python -m tests.extraction.build_pages`.

Pages are rendered by the mirror's theme templates under the outlets' real host names, from the seed
articles and articles composed of seed paragraphs (never the shared corpus, which stays out of the
repository). Their expected text is the mirror's truth, checked by hand when the set was written; the
hand-written pages (`pages/hand-*`) are left alone. Re-run after a theme template changes.
"""

from __future__ import annotations

import sys

from mirror.build import MirrorConfig, build, load_site_specs
from mirror.site import Site
from tests.extraction.evaluation import PAGES, Case, save

CONFIG = MirrorConfig(articles_per_site=6, reserve_per_site=0, use_corpus=False, seed=20251)
PLATFORM = {"newspaper": "wordpress", "jnews": "wordpress", "wpplain": "wordpress", "blogger": "blogger",
            "goid": "goid"}


def main() -> int:
    for old in PAGES.glob("mirror-*"):
        old.unlink()
    count = 0
    for content in build(CONFIG, load_site_specs()):
        spec = content.spec
        site = Site(content, CONFIG, f"https://{spec.host}")
        platform = PLATFORM[spec.theme]
        for a in site.articles():
            response = site.handle("GET", a.path, "")
            if response.status == 503:  # the flaky trap answers 503 once
                response = site.handle("GET", a.path, "")
            assert response.status == 200, (spec.id, a.path, response.status)
            case = Case(f"mirror-{spec.id}-{a.number}", spec.id, platform, site.view.url(a.path),
                        response.body.decode(spec.encoding), a.title, a.published, a.author, list(a.paragraphs))
            save(case, charset=spec.encoding)
            count += 1
        listing = "/berita?page=2" if platform == "goid" else "/search/label/Pemerintahan" \
            if platform == "blogger" else f"/category/{a.category.lower()}/"
        path, _, query = listing.partition("?")
        for name, (p, q), reason in ((f"mirror-{spec.id}-listing", (path, query), "listing-page"),
                                     (f"mirror-{spec.id}-404", ("/tidak-ada-halaman-ini-lagi/", ""), "error-page")):
            response = site.handle("GET", p, q)
            url = site.view.url(p) + (f"?{q}" if q else "")
            save(Case(name, spec.id, platform, url, response.body.decode(spec.encoding), reject=reason),
                 charset=spec.encoding)
            count += 1
    print(f"wrote {count} pages to {PAGES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
