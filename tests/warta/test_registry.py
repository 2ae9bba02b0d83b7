from pathlib import Path

import pytest

from warta.registry import DEFAULT_REGISTRY, RegistryError, load_registry, select, valid_schedule

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
])
def test_bad_entry_names_outlet_and_field(tmp_path, change, field, words):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RegistryError) as err:
        load_registry(path)
    message = str(err.value)
    assert str(path) in message and f"'{field}'" in message and words in message
    assert "entry 1" in message


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


def test_schedules():
    assert valid_schedule("30m") and valid_schedule("2h") and valid_schedule("0 */2 * * *")
    assert not valid_schedule("0m") and not valid_schedule("* * *") and not valid_schedule("61 * * * *")
