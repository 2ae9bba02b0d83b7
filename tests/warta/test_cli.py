"""The warta command as a user runs it: a real subprocess."""

from functools import partial

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
