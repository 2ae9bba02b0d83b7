"""Saved searches that alert, as a user runs them: `warta watch` over a real crawled and indexed mirror, a
webhook server the test starts (and breaks), the Atom feed and the /pantauan page. Each new story is
delivered exactly once: across runs, a failed delivery retried, a re-crawl, and a search that matches it
again."""

from __future__ import annotations

import email
import email.header
import json
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jsonschema
import pytest

from mirror.server import Mirror
from search_web import create_app
from tests.conftest import TEST_CONFIG, warta

pytestmark = pytest.mark.slow
OUTLET = "waspada"


class Webhook:
    """An HTTP server on loopback that records every POSTed JSON body; `failing` makes it answer 503."""

    def __init__(self):
        self.bodies: list[dict] = []
        self.failing = False
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if hook.failing:
                    self.send_response(503)
                else:
                    hook.bodies.append(json.loads(body))
                    self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stories(self) -> list[str]:
        return [s["url"] for b in self.bodies for s in b["stories"]]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    data = tmp_path_factory.mktemp("watches")
    hook = Webhook()
    with Mirror(replace(TEST_CONFIG, reserve_per_site=8)) as mirror:
        seeds = mirror.write_seeds(data / "mirror.toml")

        def refresh(*args: str) -> None:
            for step in (("crawl", "--outlet", OUTLET, *args), ("index",)):
                done = warta("--seeds", str(seeds), *step, data=data)
                assert done.returncode == 0, done.stdout + done.stderr
        refresh()
        yield data, seeds, mirror, hook, refresh
    hook.server.shutdown()


def watch(data, *args: str):
    return warta("watch", *args, data=data, timeout=120)


def test_a_watch_delivers_each_new_story_exactly_once_and_retries_what_failed(setup):
    data, seeds, mirror, hook, refresh = setup
    added = watch(data, "add", "berita-waspada", "--query", "", "--outlet", OUTLET, "--webhook", hook.url)
    assert added.returncode == 0, added.stderr
    assert "match already (not delivered)" in added.stdout
    assert watch(data, "run").returncode == 0 and hook.bodies == []  # the archive is no news

    first = mirror.release(OUTLET, 2)
    refresh()
    done = watch(data, "run")
    assert done.returncode == 0 and "2 new" in done.stdout, done.stdout
    assert len(hook.bodies) == 1 and hook.bodies[0]["watch"]["name"] == "berita-waspada"
    assert sorted(t["title"] for t in hook.bodies[0]["stories"]) == sorted(a.title for a in first)

    hook.failing = True  # the receiving end is down
    second = mirror.release(OUTLET, 2)
    refresh()
    failed = watch(data, "run")
    assert failed.returncode == 1 and "webhook FAILED" in failed.stdout
    status = json.loads(warta("--seeds", str(seeds), "status", "--json", data=data, timeout=60).stdout)
    [failing] = status["failing_watches"]
    assert failing["watch"] == "berita-waspada" and failing["waiting"] == 2 and "503" in failing["last_error"]
    assert "delivery FAILING" in warta("--seeds", str(seeds), "status", data=data, timeout=60).stdout

    hook.failing = False
    third = mirror.release(OUTLET, 1)
    refresh("--refresh")  # a re-crawl of everything: edits and old stories are no news
    done = watch(data, "run")
    assert done.returncode == 0 and "1 new" in done.stdout, done.stdout
    delivered = [b["stories"] for b in hook.bodies][1]
    assert sorted(s["title"] for s in delivered) == sorted(a.title for a in second + third)  # the waiting ones too
    assert watch(data, "run").returncode == 0 and len(hook.bodies) == 2  # nothing twice
    assert len(hook.stories()) == len(set(hook.stories())) == 5
    assert json.loads(warta("--seeds", str(seeds), "status", "--json", data=data, timeout=60).stdout)[
        "failing_watches"] == []

    listed = json.loads(watch(data, "list", "--json").stdout)["watches"]
    assert [(w["name"], w["new"]) for w in listed] == [("berita-waspada", 5)]

    app = create_app(data=data, seeds=seeds).test_client()
    feed = app.get("/pantauan/berita-waspada.atom")
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    assert all(a.title in feed.get_data(as_text=True) for a in first + second + third)
    page = app.get("/pantauan").get_data(as_text=True)
    assert "berita-waspada" in page and first[0].title in page
    assert app.get("/pantauan/tidak-ada.atom").status_code == 404
    offer = app.get("/pantauan?q=banjir+rob&region=Kota+Medan").get_data(as_text=True)
    assert "warta watch add banjir-rob --query &#39;banjir rob&#39; --region &#39;Kota Medan&#39;" in offer


BAD = [
    (("add", "Nama Besar", "--query", "banjir"), "lowercase"),
    (("add", "rob", "--query", "banjir", "--webhook", "ftp://x.example/"), "not an http(s) URL"),
    (("add", "rob", "--query", "banjir", "--email", "redaksi@localhost"), "not an address with a domain"),
    (("add", "rob", "--query", '"'), "--query"),
    (("remove", "tidak-ada"), "no watch named"),
]


def test_a_bad_watch_is_a_clear_error_and_changes_nothing(setup):
    data = setup[0]
    before = watch(data, "list", "--json").stdout
    for args, message in BAD:
        done = watch(data, *args)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr, (args, done)
    assert watch(data, "list", "--json").stdout == before


def test_a_watch_name_is_taken_once(setup):
    data = setup[0]
    assert watch(data, "add", "sekali", "--query", "pemerintah").returncode == 0
    again = watch(data, "add", "sekali", "--query", "banjir")
    assert again.returncode == 2 and "exists already" in again.stderr
    assert watch(data, "remove", "sekali").returncode == 0


def test_a_watch_mails_its_new_stories_in_bahasa_and_retries_when_smtp_is_down(setup):
    from aiosmtpd.controller import Controller

    from tests.conftest import free_port

    data, seeds, mirror, hook, refresh = setup
    received = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
            received.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    port = free_port()
    env = {"WARTA_SMTP": f"127.0.0.1:{port}", "WARTA_SMTP_FROM": "warta@example.invalid"}
    assert watch(data, "add", "surel-waspada", "--query", "", "--outlet", OUTLET,
                 "--email", "redaksi@example.invalid").returncode == 0
    new = mirror.release(OUTLET, 1)
    refresh()
    down = warta("watch", "run", data=data, env=env, timeout=120)  # nothing listens on the port yet
    assert down.returncode == 1 and "email FAILED" in down.stdout
    smtp = Controller(Inbox(), hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        up = warta("watch", "run", data=data, env=env, timeout=120)
        again = warta("watch", "run", data=data, env=env, timeout=120)
    finally:
        smtp.stop()
    assert up.returncode == 0 and "email 1" in up.stdout, up.stdout + up.stderr
    assert again.returncode == 0
    [(to, raw)] = received  # one message per run per watch, never twice
    message = email.message_from_string(raw)
    body = message.get_payload(decode=True).decode("utf-8")
    assert to == ["redaksi@example.invalid"] and "berita baru" in str(email.header.make_header(
        email.header.decode_header(message["Subject"])))
    assert new[0].title in body and "menemukan 1 berita baru" in body
    assert watch(data, "remove", "surel-waspada").returncode == 0


def test_a_watch_made_in_the_browser_is_followed_by_its_feed_and_never_posts_anywhere(setup):
    data, seeds, mirror, hook, refresh = setup
    app = create_app(data=data, seeds=seeds)
    app.config["WARTA_WEB_WATCHES"] = len(json.loads(watch(data, "list", "--json").stdout)["watches"]) + 1
    client = app.test_client()
    form = {"name": "dari-peramban", "q": "", "outlet": OUTLET, "webhook": hook.url, "email": "a@example.invalid"}

    offer = client.get(f"/pantauan?outlet={OUTLET}").get_data(as_text=True)
    assert f'value="{OUTLET}"' in offer and 'method="post"' in offer
    elsewhere = client.post("/pantauan", data=form, headers={"Sec-Fetch-Site": "cross-site"})
    assert elsewhere.status_code == 403
    assert client.post("/pantauan", data=form, headers={"Origin": "http://evil.example"}).status_code == 403
    bad = client.post("/pantauan", data={**form, "name": "Nama Besar"}, headers={"Sec-Fetch-Site": "same-origin"})
    assert bad.status_code == 400 and "huruf kecil" in bad.get_data(as_text=True)
    nothing = client.post("/pantauan", data={"name": "kosong"}, headers={"Sec-Fetch-Site": "same-origin"})
    assert nothing.status_code == 400
    assert "dari-peramban" not in watch(data, "list", "--json").stdout and "kosong" not in watch(data, "list").stdout

    made = client.post("/pantauan", data=form, headers={"Sec-Fetch-Site": "same-origin"})
    assert made.status_code == 303 and made.headers["Location"].endswith("/pantauan#pantauan-dari-peramban")
    again = client.post("/pantauan", data=form, headers={"Sec-Fetch-Site": "same-origin"})
    assert again.status_code == 409 and "Sudah ada pantauan" in again.get_data(as_text=True)
    full = client.post("/pantauan", data={**form, "name": "satu-lagi"})  # a script: no browser headers
    assert full.status_code == 429
    listed = json.loads(watch(data, "list", "--json").stdout)["watches"]
    [made_here] = [w for w in listed if w["name"] == "dari-peramban"]
    assert made_here["webhook"] == "" and made_here["email"] == "" and made_here["outlets"] == [OUTLET]

    bodies = len(hook.bodies)
    new = mirror.release(OUTLET, 1)
    refresh()
    assert watch(data, "run").returncode == 0
    feed = client.get("/pantauan/dari-peramban.atom").get_data(as_text=True)
    assert new[0].title in feed and feed.count("<entry>") == 1
    listed = client.get("/api/pantauan").get_json()
    jsonschema.validate(listed, {"$ref": "#/components/schemas/Watches",
                                 "components": client.get("/api/openapi.json").get_json()["components"]})
    [twin] = [w for w in listed["watches"] if w["name"] == "dari-peramban"]
    assert [s["title"] for s in twin["stories"]] == [new[0].title] and twin["channels"] == []
    assert hook.url not in json.dumps(listed)  # where a watch delivers is not for visitors
    assert all(b["watch"]["name"] != "dari-peramban" for b in hook.bodies[bodies:])
    assert watch(data, "remove", "dari-peramban").returncode == 0
