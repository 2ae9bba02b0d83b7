"""Jinja rendering of mirror pages; the templates under templates/<theme>/ copy real theme markup.

Template contract (every theme provides article.html, listing.html and 404.html):

article.html  site, a (ArticleView), related, latest (lists of ArticleView), read_also (ArticleView
              or None), now (datetime), pdf_url (str or None), comments (list of (name, text))
listing.html  site, heading, kind (home|category|tag|author|search|archive), items (ArticleView list),
              page, num_pages, prev_url, next_url (str or None), latest
404.html      site, latest

`site` is a SiteView: the SiteSpec fields plus base_url and url(path).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from mirror.idformat import format_id
from mirror.model import WIB, MirrorArticle, SiteSpec

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class SiteView:
    spec: SiteSpec
    base_url: str  # http://127.0.1.3:8801, no trailing slash

    def __getattr__(self, name: str):
        return getattr(self.spec, name)

    def url(self, path: str) -> str:
        return self.base_url + path


@dataclass(frozen=True)
class ArticleView:
    """An article plus the URLs the theme links to."""

    article: MirrorArticle
    site: SiteView
    query: str = ""  # tracking parameters some widgets append to their links (?fbclid=...)

    def __getattr__(self, name: str):
        return getattr(self.article, name)

    @property
    def url(self) -> str:
        return self.site.url(self.article.path) + self.query

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The body as the page prints it: the true paragraphs plus the outlet's byline line, if any."""
        byline = self.site.spec.byline.format(author=self.article.author)
        return self.article.paragraphs + ((byline,) if byline else ())

    @property
    def amp_url(self) -> str:
        return self.url + "amp/" if self.url.endswith("/") else self.url + "?amp=1"

    @property
    def shortlink(self) -> str:
        return self.site.url(f"/?p={self.article.number}")

    @property
    def image_url(self) -> str:
        return self.site.url(self.article.image)

    @property
    def author_slug(self) -> str:
        return slugify(self.article.author)

    @property
    def author_url(self) -> str:
        return self.site.url(f"/author/{self.author_slug}/")

    @property
    def category_slug(self) -> str:
        return slugify(self.article.category)

    @property
    def category_url(self) -> str:
        return self.site.url(f"/category/{self.category_slug}/")

    @property
    def tag_links(self) -> list[tuple[str, str]]:
        return [(t, self.site.url(f"/tag/{slugify(t)}/")) for t in self.article.tags]

    @property
    def excerpt(self) -> str:
        words = self.article.paragraphs[0].split()
        return " ".join(words[:30]) + (" [&hellip;]" if len(words) > 30 else "")


def slugify(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch.isalnum() and ch.isascii():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")[:90].strip("-") or "artikel"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["id_date"] = format_id
    env.filters["iso"] = lambda dt: dt.isoformat()
    env.filters["slugify"] = slugify
    return env


def render(theme: str, template: str, **context) -> str:
    return environment().get_template(f"{theme}/{template}").render(**context)


def sample_context(theme: str) -> dict:
    """A realistic context for previewing a theme: `python -m mirror.render THEME article`."""
    spec = SiteSpec(id="demo", name="Mimbar Umum", theme=theme, host="mimbarumum.co.id",
                    regions=("Kota Binjai",), weather_bar=True)
    site = SiteView(spec, "http://127.0.1.1:8800")

    def art(n: int, title: str) -> ArticleView:
        return ArticleView(MirrorArticle(
            site="demo", number=1000 + n, slug=slugify(title), path=f"/2024/11/14/{slugify(title)}/",
            title=title,
            paragraphs=("Pemerintah Kota Binjai berhasil meraih prestasi gemilang dalam penilaian pelayanan "
                        "publik tahun 2024 yang dilakukan oleh Ombudsman RI.",
                        "Penghargaan ini diterima secara virtual oleh Sekretaris Daerah Kota Binjai.",
                        "“Ke depan, pelayanan harus semakin ditingkatkan,” tegasnya."),
            published=datetime(2024, 11, 14, 10, 15, tzinfo=WIB),
            modified=datetime(2024, 11, 14, 12, 0, tzinfo=WIB), author="Burhan S", category="Pemerintahan",
            tags=("Pemko Binjai", "Ombudsman"), regions=("Kota Binjai",),
            image="/wp-content/uploads/2024/11/binjai.jpg", image_caption="Sekda Binjai menerima penghargaan."),
            site)

    a = art(1, "Kota Binjai Raih Peringkat Tertinggi dalam Penilaian Pelayanan Publik Ombudsman 2024")
    others = [art(i, f"Berita lain nomor {i} tentang Pemko Binjai") for i in range(2, 8)]
    return {
        "article": dict(site=site, a=a, related=others[:3], latest=others, read_also=others[0],
                        now=datetime(2024, 11, 16, 8, 0, tzinfo=WIB), pdf_url=site.url("/uploads/laporan.pdf"),
                        comments=[("Budi", "Mantap, pertahankan!")]),
        "listing": dict(site=site, heading="Pemerintahan", kind="category", items=others, page=2, num_pages=5,
                        prev_url=site.url("/category/pemerintahan/"),
                        next_url=site.url("/category/pemerintahan/page/3/"), latest=others),
        "404": dict(site=site, latest=others),
    }


if __name__ == "__main__":
    import sys

    theme, which = sys.argv[1], sys.argv[2]
    print(render(theme, f"{which}.html", **sample_context(theme)[which]))
