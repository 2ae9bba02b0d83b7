from pathlib import Path

import pytest

from registry import DEFAULT_REGISTRY, RegistryError, load_registry, select, valid_schedule

GOOD = """
[[outlet]]
id = "contoh"
name = "Contoh News"
url = "https://contoh.co.id"
platform = "wordpress"
regions = ["Kota Medan"]
sitemaps = ["/sitemap_index.xml", "https://cdn.contoh.co.id/news.xml"]
schedule = "*/30 * * * *"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "outlets.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_registry_has_the_seed_outlets_and_portals():
    outlets = {o.id: o for o in load_registry(DEFAULT_REGISTRY)}
    hosts = {o.host for o in outlets.values()}
    for host in ("tri3news.com", "mimbarumum.co.id", "sumutpos.co", "waspada.co.id", "binjaikota.go.id",
                 "pematangsiantarkota.go.id", "pemkomedan.go.id", "sumutprov.go.id"):
        assert host in hosts
    assert {o.platform for o in outlets.values()} == {"wordpress", "blogger", "goid"}
    assert all(o.regions for o in outlets.values())


def test_relative_hints_resolve_against_home_and_url_gets_slash(tmp_path):
    (outlet,) = load_registry(write(tmp_path, GOOD))
    assert outlet.url == "https://contoh.co.id/"
    assert outlet.sitemaps == ("https://contoh.co.id/sitemap_index.xml", "https://cdn.contoh.co.id/news.xml")
    assert outlet.schedule == "*/30 * * * *" and outlet.concurrency == 2


@pytest.mark.parametrize("change, field, words", [
    (('platform = "wordpress"', 'platform = "wp"'), "platform", "must be one of"),
    (('url = "https://contoh.co.id"', 'url = "contoh.co.id"'), "url", "absolute"),
    (('regions = ["Kota Medan"]', "regions = []"), "regions", "at least one"),
    (('regions = ["Kota Medan"]', 'regions = "Kota Medan"'), "regions", "expected a list"),
    (('schedule = "*/30 * * * *"', 'schedule = "sometimes"'), "schedule", "interval"),
    (('schedule = "*/30 * * * *"', 'schedule = "99 * * * *"'), "schedule", "cron"),
    (('id = "contoh"', 'id = "Contoh News!"'), "id", "lowercase"),
    (('name = "Contoh News"', 'nama = "Contoh News"'), "nama", "unknown field"),
    (('name = "Contoh News"\n', ""), "name", "missing"),
    (('name = "Contoh News"', 'name = "  "'), "name", "empty"),
    (('url = "https://contoh.co.id"', 'url = "http://contoh.co.id:99999/"'), "url", "port"),
    (('url = "https://contoh.co.id"', 'url = "http://contoh.co.id:0/"'), "url", "port"),
    (('url = "https://contoh.co.id"', 'url = "ftp://contoh.co.id/"'), "url", "http or https"),
    (('url = "https://contoh.co.id"', 'url = "https://contoh co.id/"'), "url", "spaces"),
    (('url = "https://contoh.co.id"', 'url = "https://' + 'a' * 64 + '.co.id/"'), "url", "63"),
    (('"/sitemap_index.xml"', '"https://contoh.co.id:123456/sitemap.xml"'), "sitemaps", "port"),
    (('"/sitemap_index.xml"', '"ftp://contoh.co.id/sitemap.xml"'), "sitemaps", "http or https"),
    (('schedule = "*/30 * * * *"', 'domains = ["m.contoh.co.id", "bad host"]'), "domains", "host names"),
    (('schedule = "*/30 * * * *"', 'schedule = "0 0 31 2 *"'), "schedule", "never fires"),
    (('schedule = "*/30 * * * *"', 'schedule = "0 0 30,31 2 *"'), "schedule", "never fires"),
    (('schedule = "*/30 * * * *"', 'schedule = "400d"'), "schedule", "at most"),
    (('schedule = "*/30 * * * *"', "concurrency = 0"), "concurrency", "1 to 8"),
    (('schedule = "*/30 * * * *"', "concurrency = 2.5"), "concurrency", "integer"),
    (('schedule = "*/30 * * * *"', "concurrency = true"), "concurrency", "integer"),
    (('schedule = "*/30 * * * *"', "delay = -1"), "delay", "0 to 60"),
    (('schedule = "*/30 * * * *"', "delay = nan"), "delay", "0 to 60"),
    (('schedule = "*/30 * * * *"', 'delay = "1s"'), "delay", "number"),
])
def test_bad_entry_names_outlet_and_field(tmp_path, change, field, words):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RegistryError) as err:
        load_registry(path)
    message = str(err.value)
    assert str(path) in message and f"'{field}'" in message and words in message
    assert "entry 1" in message


@pytest.mark.parametrize(("text", "words"), [
    ('outlet = ["x"]', "outlet entry 1: field 'outlet': expected an [[outlet]] table, got a string 'x'"),
    ('[outlet]\nid = "x"', "field 'outlet': expected [[outlet]] tables, got a table"),
    ("outlet = 3", "field 'outlet': expected [[outlet]] tables"),
])
def test_entries_that_are_not_tables(tmp_path, text, words):
    path = write(tmp_path, text)
    with pytest.raises(RegistryError) as err:
        load_registry(path)
    assert str(err.value).startswith(str(path)) and words in str(err.value)


def test_an_office_website_names_its_office_as_the_lexicon_does(tmp_path):
    portal = GOOD.replace('platform = "wordpress"', 'platform = "goid"')
    (outlet,) = load_registry(write(tmp_path, portal + 'office = "Dinas Kesehatan"\n'))
    assert outlet.office == "Dinas Kesehatan"
    for text, words in ((portal + 'office = "Dinkes"\n', "official name"),
                        (GOOD + 'office = "Dinas Kesehatan"\n', "platform goid")):
        with pytest.raises(RegistryError) as err:
            load_registry(write(tmp_path, text))
        assert "field 'office'" in str(err.value) and words in str(err.value)


def test_cron_lines_that_fire_rarely_are_fine(tmp_path):
    for schedule in ("0 0 29 2 *", "0 0 31 2 1", "0 0 31 * *"):
        (outlet,) = load_registry(write(tmp_path, GOOD.replace("*/30 * * * *", schedule)))
        assert outlet.schedule == schedule


def test_duplicate_ids_and_unknown_selection(tmp_path):
    with pytest.raises(RegistryError, match="duplicate id"):
        load_registry(write(tmp_path, GOOD + GOOD))
    outlets = load_registry(write(tmp_path, GOOD))
    with pytest.raises(RegistryError, match="unknown outlet id"):
        select(outlets, ["nope"])
    assert select(outlets, []) == outlets


def test_unreadable_files(tmp_path):
    with pytest.raises(RegistryError, match="not found"):
        load_registry(tmp_path / "missing.toml")
    with pytest.raises(RegistryError, match="not valid TOML"):
        load_registry(write(tmp_path, "[[outlet]\nid="))
    with pytest.raises(RegistryError, match="no \\[\\[outlet\\]\\] entries"):
        load_registry(write(tmp_path, "# empty\n"))
    with pytest.raises(RegistryError, match="cannot read"):
        load_registry(tmp_path)


def test_schedules():
    assert valid_schedule("30m") and valid_schedule("2h") and valid_schedule("0 */2 * * *")
    assert not valid_schedule("0m") and not valid_schedule("* * *") and not valid_schedule("61 * * * *")
