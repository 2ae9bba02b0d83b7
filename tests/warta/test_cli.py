"""The warta command as a user runs it: a real subprocess."""

import re
import signal
import socket
import subprocess
import sys
from functools import partial

import pytest

from tests.conftest import ROOT
from tests.conftest import warta as run_warta

warta = partial(run_warta, timeout=120)


def test_help_lists_every_subcommand():
    out = warta("--help")
    assert out.returncode == 0
    for command in ("demo", "mirror", "crawl", "index", "search", "serve", "schedule", "extract", "reextract",
                    "status"):
        assert f"    {command}" in out.stdout


def test_bad_registry_entry_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[outlet]]\nid = "x"\nname = "X"\nurl = "https://x.id/"\nplatform = "joomla"\n'
                   'regions = ["Kota Medan"]\n')
    out = warta("--seeds", str(bad), "outlets")
    assert out.returncode == 2
    assert "outlet 'x'" in out.stderr and "'platform'" in out.stderr and "joomla" in out.stderr
    assert "Traceback" not in out.stderr


def test_data_option_and_env_choose_the_data_dir(tmp_path):
    out = warta("--data", str(tmp_path / "x"), "status")
    assert out.returncode == 1 and str(tmp_path / "x" / "warta.sqlite3") in out.stderr
    out = warta("status", env={"WARTA_DATA": str(tmp_path / "y")})
    assert str(tmp_path / "y" / "warta.sqlite3") in out.stderr
    out = warta("status", "--data", str(tmp_path / "z"), env={"WARTA_DATA": str(tmp_path / "y")})
    assert str(tmp_path / "z" / "warta.sqlite3") in out.stderr


def test_a_bad_schedule_is_a_usage_error(tmp_path):
    out = warta("--data", str(tmp_path), "schedule", "--every", "often")
    assert out.returncode == 2 and "'often'" in out.stderr and "Traceback" not in out.stderr


GOOD_ENTRY = """[[outlet]]
id = "contoh"
name = "Contoh News"
url = "https://contoh.co.id/"
platform = "wordpress"
regions = ["Kota Medan"]
"""


def _seeds(text: str):
    def make(tmp_path):
        path = tmp_path / "outlets.toml"
        path.write_text(text, encoding="utf-8")
        return ["--seeds", str(path)]
    return make


def _garbage_store(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "warta.sqlite3").write_bytes(bytes(range(256)) * 16)
    return []


def _damaged_store(tmp_path):  # the right first bytes, nothing usable after them
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "warta.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    return []


def _data_is_a_file(tmp_path):
    (tmp_path / "data").write_text("not a directory")
    return []


def _nothing(tmp_path):
    return []


# (case, set-up returning extra arguments, command, words the one-line message holds)
BAD_INPUT = [
    ("entry not a table", _seeds('outlet = ["x"]\n'), ["crawl"], ["outlets.toml", "entry 1", "'outlet'", "table"]),
    ("port out of range", _seeds(GOOD_ENTRY.replace("https://contoh.co.id/", "http://contoh.co.id:99999/")),
     ["crawl"], ["outlets.toml", "'contoh'", "'url'", "port"]),
    ("hint with a bad port", _seeds(GOOD_ENTRY + 'feeds = ["http://contoh.co.id:0/feed/"]\n'),
     ["crawl"], ["outlets.toml", "'contoh'", "'feeds'", "port"]),
    ("unknown field", _seeds(GOOD_ENTRY + 'sitemap = "/sitemap.xml"\n'), ["crawl"],
     ["outlets.toml", "'contoh'", "'sitemap'", "unknown field"]),
    ("cron that never fires", _seeds(GOOD_ENTRY + 'schedule = "0 0 31 2 *"\n'), ["schedule", "--once"],
     ["outlets.toml", "'contoh'", "'schedule'", "never fires"]),
    ("concurrency out of range", _seeds(GOOD_ENTRY + "concurrency = 50\n"), ["schedule", "--once"],
     ["outlets.toml", "'contoh'", "'concurrency'", "1 to 8"]),
    ("delay out of range", _seeds(GOOD_ENTRY + "delay = 3600\n"), ["status"],
     ["outlets.toml", "'contoh'", "'delay'", "0 to 60"]),
    ("registry is a directory", lambda tmp_path: ["--seeds", str(tmp_path)], ["crawl"], ["cannot read"]),
    ("--every that never fires", _nothing, ["schedule", "--every", "0 0 30 2 *"], ["never fires"]),
    ("--data is a file", _data_is_a_file, ["crawl"], ["data directory", "--data", "not a directory"]),
    ("--data is a file (index)", _data_is_a_file, ["index"], ["data directory", "not a directory"]),
    ("--data is a file (status)", _data_is_a_file, ["status"], ["data directory", "not a directory"]),
    ("--data inside a file", lambda tmp_path: _data_is_a_file(tmp_path) or ["--data", str(tmp_path / "data" / "x")],
     ["schedule", "--once"], ["data directory", "which is not a directory"]),
    ("store of random bytes (crawl)", _garbage_store, ["crawl"], ["warta.sqlite3", "not a warta store"]),
    ("store of random bytes (index)", _garbage_store, ["index"], ["warta.sqlite3", "not a warta store"]),
    ("store of random bytes (schedule)", _garbage_store, ["schedule", "--once"], ["warta.sqlite3", "not a warta"]),
    ("store of random bytes (serve)", _garbage_store, ["serve", "--port", "1"], ["warta.sqlite3", "not a warta"]),
    ("damaged store (status)", _damaged_store, ["status"], ["warta.sqlite3", "damaged"]),
    ("damaged store (reextract)", _damaged_store, ["reextract"], ["warta.sqlite3", "damaged"]),
    ("port out of range (serve)", _nothing, ["serve", "--port", "99999"], ["--port", "1 to 65535", "99999"]),
    ("port not a number (mirror)", _nothing, ["mirror", "--port", "http"], ["--port", "'http'"]),
    ("demo --every that never fires", _nothing, ["demo", "--every", "0 0 31 4 *"], ["--every", "never fires"]),
    ("no such address (serve)", _nothing, ["serve", "--host", "nowhere.invalid"], ["cannot listen"]),
    ("date past 2200 (search)", _nothing, ["search", "banjir", "--to", "9999-12-31"], ["'--to'", "1900 and 2200"]),
    ("unknown option", _nothing, ["index", "--rebuilt"], ["--rebuilt"]),
]


def snapshot(root):
    """Every path under root with its size and modification time (None when root does not exist)."""
    if not root.exists():
        return None
    if root.is_file():
        return root.stat().st_size, root.stat().st_mtime_ns
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize(("setup", "command", "words"), [case[1:] for case in BAD_INPUT],
                         ids=[case[0] for case in BAD_INPUT])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, setup, command, words):
    extra = setup(tmp_path)
    data = tmp_path / "data"
    before = snapshot(data)
    out = warta("--data", str(data), *extra, *command, timeout=60)
    assert out.returncode == 2, out.stderr
    message = out.stderr.strip()
    assert "\n" not in message and "Traceback" not in message, out.stderr
    assert message.startswith("warta"), message
    for word in words:
        assert word in message, message
    assert out.stdout == "", out.stdout
    assert snapshot(data) == before


def test_serve_on_a_port_in_use_says_so_and_exits(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = warta("--data", str(tmp_path / "data"), "serve", "--port", str(port), timeout=60)
    assert out.returncode == 2 and out.stdout == ""  # no "serving" line for a server that is not serving
    assert out.stderr.strip() == f"warta serve: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert not (tmp_path / "data").exists()


def test_serve_with_a_bad_base_url_says_so(tmp_path):
    out = warta("--data", str(tmp_path / "data"), "serve", env={"WARTA_BASE_URL": "javascript:alert(1)"}, timeout=60)
    assert out.returncode == 2 and out.stdout == "" and "Traceback" not in out.stderr
    assert out.stderr.strip().startswith("warta serve: WARTA_BASE_URL 'javascript:alert(1)'")
    assert "\n" not in out.stderr.strip() and not (tmp_path / "data").exists()


def test_the_hostile_mirror_serves_its_outlets_for_a_crawl_and_counts_what_reached_the_victims(tmp_path):
    """`warta mirror --hostile`: the faults of mirror/hostile.py to try by hand; a robots.txt that forbids
    all is the outlet's choice (`warta crawl` exits 0), a redirect elsewhere reaches nothing."""
    seeds = tmp_path / "hostile.toml"
    mirror = subprocess.Popen([sys.executable, "-m", "warta", "--data", str(tmp_path), "mirror", "--hostile",
                               "--seeds-out", str(seeds)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in mirror.stdout:
            lines.append(line)
            if line.startswith("serving"):
                break
        assert any(line.startswith("robotsdeny ") for line in lines) and seeds.exists()
        done = warta("--seeds", str(seeds), "crawl", "--outlet", "robotsdeny", "--outlet", "offsite", data=tmp_path)
        assert done.returncode == 0, done.stdout + done.stderr
        assert re.search(r"robotsdeny\s+blocked", done.stdout) and re.search(r"offsite\s+ok", done.stdout)
    finally:
        mirror.send_signal(signal.SIGTERM)
        out, _ = mirror.communicate(timeout=30)
    assert "requests that reached the servers nothing may reach: 0" in out
