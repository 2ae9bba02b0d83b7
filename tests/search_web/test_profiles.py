"""A page for each region and government body (/wilayah/<slug>, /lembaga/<slug>) and its JSON twin, over
HTTP from `warta serve`: reached from the search page's facets, the documented shape, 404s in Bahasa."""

from __future__ import annotations

import re

import pytest

from search_web.profiles import months_back, slugify
from tests.conftest import fetch
from tests.search_web.test_api import conforms, get

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def openapi(web):
    return get(web, "/api/openapi.json")[1]


def test_slugs_and_the_twelve_months():
    assert slugify("Kota Binjai") == "kota-binjai" and slugify("DPRD Kota Medan") == "dprd-kota-medan"
    from datetime import date
    assert months_back(date(2026, 12, 2)) == date(2026, 1, 1) and months_back(date(2026, 3, 31)) == date(2025, 4, 1)


def test_every_region_and_body_of_the_facets_has_a_page_and_a_json_twin(web, openapi):
    _, result = get(web, "/api/search", q="pemerintah")
    for facet, kind in (("region", "wilayah"), ("actor", "lembaga")):
        for c in result["facets"][facet][:3]:
            status, body = get(web, f"/api/{kind}/{slugify(c['value'])}")
            assert status == 200, body
            conforms(openapi, "Profile", body)
            assert body["value"] == c["value"] and body["total"] >= c["count"] > 0
            assert len(body["timeline"]["buckets"]) == 12 and body["timeline"]["interval"] == "month"
            assert 0 < len(body["newest"]) <= 10
            assert all(c["value"] in h["regions" if facet == "region" else "actors"] for h in body["newest"])
            assert all(r["value"] != c["value"] for r in body["related"])
            page = fetch(f"{web}/{kind}/{slugify(c['value'])}")
            assert page.status == 200 and c["label"] in page.text
            assert f"/api/{kind}/{slugify(c['value'])}" in page.text  # its JSON twin
    search_page = fetch(f"{web}/?q=pemerintah").text  # facet values link to their pages
    assert re.search(r'href="/wilayah/[a-z0-9-]+"', search_page) and re.search(r'href="/lembaga/[a-z0-9-]+"',
                                                                               search_page)


def test_an_unknown_slug_is_a_404_in_bahasa_not_a_500(web):
    page = fetch(f"{web}/wilayah/kota-atlantis")
    assert page.status == 404 and "tidak ada dalam indeks" in page.text
    status, body = get(web, "/api/lembaga/dinas-yang-tidak-ada")
    assert status == 404 and body["code"] == "profile_not_found"
