"""A person using the search page in headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, web) -> Page:
    context = browser.new_context(base_url=web, viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert not dialogs, f"crawled text ran as script: {dialogs}"
    assert not errors, f"console errors (CSP violations?): {errors}"


def search_for(page: Page, text: str) -> None:
    page.goto("/")
    page.fill("#q", text)
    page.press("#q", "Enter")
    page.wait_for_load_state()


def test_type_a_query_filter_and_page(page: Page):
    search_for(page, "kota")
    hits = page.locator(".hit")
    expect(hits.first).to_be_visible()
    total = int(re.match(r"[\d.]+", page.locator("#summary").inner_text()).group().replace(".", ""))
    assert total > 10
    facet = page.locator(".facet-outlet a").first
    name = facet.inner_text()
    facet.click()
    page.wait_for_load_state()
    assert "outlet=" in page.url
    outlets = page.locator(".hit .outlet").all_inner_texts()
    assert outlets and set(outlets) == {name}
    expect(page.locator(".facet-outlet a.on")).to_have_text(name)

    page.goto("/?q=kota&per_page=3")
    first = page.locator(".hit h2").all_inner_texts()
    page.click(".pagination a[rel=next]")
    page.wait_for_load_state()
    assert "page=2" in page.url
    expect(page.locator(".pagination .current")).to_have_text("2")
    second = page.locator(".hit h2").all_inner_texts()
    assert len(second) == 3 and not set(first) & set(second)


def test_sort_newest_from_the_form(page: Page):
    search_for(page, "kota")
    page.select_option("select[name=sort]", "newest")
    page.click(".refine button")
    page.wait_for_load_state()
    assert "sort=newest" in page.url
    dates = page.locator(".hit time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert len(dates) > 3 and dates == sorted(dates, reverse=True)


def test_follow_a_suggestion_and_open_an_article(page: Page):
    search_for(page, "pelayann")
    expect(page.locator(".empty")).to_be_visible()
    page.click(".suggestion a")
    page.wait_for_load_state()
    expect(page.locator("#q")).to_have_value("pelayanan")
    expect(page.locator(".hit").first).to_be_visible()
    title = page.locator(".hit h2").first.inner_text()
    page.locator(".hit a.copy").first.click()
    page.wait_for_load_state()
    expect(page.locator("article.copy h1")).to_have_text(title)
    expect(page.locator(".original a").first).to_have_attribute("href", re.compile(r"^http://127\.0\.1\.\d+:"))


def test_near_matches_show_under_their_own_heading(page: Page):
    search_for(page, "kolam puskesmas")
    expect(page.locator(".empty")).to_be_visible()
    expect(page.locator("#partial-heading")).to_have_text("Memuat sebagian kata")
    near = page.locator(".partial-hits .hit h2").all_inner_texts()
    assert any("Kolam Retensi" in t for t in near), near


def test_markup_in_a_crawled_title_renders_as_text(page: Page):
    search_for(page, "hoaks diskominfo")
    heading = page.locator(".hit h2", has_text="Hoaks").first
    expect(heading).to_contain_text("<script>alert('x')</script> dan <img src=x onerror=alert(1)>")
    assert page.locator(".results script, .results img").count() == 0
    page.locator(".hit", has_text="Hoaks").locator("a.copy").first.click()
    page.wait_for_load_state()
    expect(page.locator("article.copy h1")).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator("article script, article img").count() == 0


def test_the_home_page_shows_the_newest_stories_outlets_and_examples(page: Page):
    page.goto("/")
    expect(page.locator(".newest .hit")).to_have_count(10)
    expect(page.locator(".outlets li")).to_have_count(9)
    dates = page.locator(".newest .hit .meta time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert dates == sorted(dates, reverse=True)
    example = page.locator("#examples a").first
    query = example.inner_text()
    example.click()
    page.wait_for_load_state()
    expect(page.locator("#q")).to_have_value(query)
    expect(page.locator(".hit").first).to_be_visible()
    page.goto("/")
    outlet = page.locator(".outlets li a").first
    name = outlet.inner_text()
    outlet.click()
    page.wait_for_load_state()
    assert "outlet=" in page.url
    assert set(page.locator(".newest .hit .outlet").all_inner_texts()) == {name}


def test_the_timeline_shows_bars_that_narrow_the_search_and_the_export_downloads_every_match(page: Page):
    import csv
    import io

    search_for(page, "pemerintah")
    total = int(re.match(r"[\d.]+", page.locator("#summary").inner_text()).group().replace(".", ""))
    bars = page.locator("#timeline svg a.bar")
    assert bars.count() >= 2
    counts = [int(c) for c in bars.evaluate_all("els => els.map(e => e.dataset.count)")]
    assert sum(counts) <= total and max(counts) > 0
    table = page.locator("#timeline .timeline-table tbody tr")
    assert table.count() == bars.count()  # the numbers, readable without the picture
    target = next(i for i, c in enumerate(counts) if c)
    bars.nth(target).click()
    page.wait_for_load_state()
    assert "from=" in page.url and "to=" in page.url
    narrowed = int(re.match(r"[\d.]+", page.locator("#summary").inner_text()).group().replace(".", ""))
    assert narrowed == counts[target]

    search_for(page, "pemerintah")
    with page.expect_download() as download:
        page.locator("a.export").click()
    path = download.value.path()
    text = open(path, encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == total and rows[0]["title"]


def test_pantau_pencarian_ini_makes_a_watch_of_this_search(page: Page):
    page.goto("/?q=banjir&region=Kota+Medan")
    page.locator("a.watch").click()
    page.wait_for_load_state()
    assert "/pantauan" in page.url
    expect(page.locator("#watch-q")).to_have_value("banjir")
    command = page.locator("#tambah code").first.inner_text()
    assert command == "warta watch add banjir --query banjir --region 'Kota Medan' --webhook URL"
    page.fill("#watch-name", "banjir-medan")
    page.locator("#tambah button").click()
    page.wait_for_load_state()
    assert page.url.endswith("/pantauan#pantauan-banjir-medan")
    made = page.locator("#pantauan-banjir-medan")
    expect(made.locator(".meta")).to_contain_text("“banjir” · Kota Medan")
    assert made.locator("a", has_text="Atom").get_attribute("href") == "/pantauan/banjir-medan.atom"
