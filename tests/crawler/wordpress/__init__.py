"""Real WordPress on loopback for the crawl tests: Debian's `wordpress` package under PHP's built-in server,
over a MariaDB server of its own, all in a temporary directory and stopped at the end.

The site directory holds copies of WordPress's small top-level PHP files (they find wp-config.php beside
wp-load.php) and links to its `wp-admin` and `wp-includes`, so Debian's host-keyed /etc/wordpress
configuration is neither needed nor touched; its own wp-config.php points at the test's MariaDB socket and
its own wp-content (the bundled theme linked in). setup.php installs WordPress and publishes the posts as
wp-admin would. `./dev test` installs the packages (wordpress, mariadb-server, php-cli, php-mysql).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

WORDPRESS = Path("/usr/share/wordpress")
THEMES = Path("/usr/share/wordpress/wp-content/themes")
HERE = Path(__file__).parent
CONFIG = """<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{socket}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_CONTENT_DIR', '{content}');
define('WP_CONTENT_URL', '{url}/wp-content');
define('WP_AUTO_UPDATE_CORE', false);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
$table_prefix = 'wp_';
foreach (['AUTH', 'SECURE_AUTH', 'LOGGED_IN', 'NONCE'] as $k) {{
    define($k . '_KEY', 'warta-test-' . $k); define($k . '_SALT', 'warta-test-salt-' . $k);
}}
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
"""


@dataclass(frozen=True)
class Published:
    id: int
    url: str
    title: str
    date: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(check, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.1)


class WordPress:
    def __init__(self, root: Path, posts: list[dict]):
        self.root, self.posts = root, posts
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen] = []
        self.published: list[Published] = []

    def __enter__(self) -> WordPress:
        try:
            self._database()
            self._site()
            self._install()
            self._serve()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def _database(self) -> None:
        data, self.socket = self.root / "mariadb", self.root / "mariadb.sock"
        subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={data}", "--user=root",
                        "--auth-root-authentication-method=socket", "--skip-test-db"],
                       check=True, capture_output=True, timeout=120)
        self.procs.append(subprocess.Popen(
            ["mariadbd", "--no-defaults", f"--datadir={data}", f"--socket={self.socket}", "--skip-networking",
             "--user=root", f"--pid-file={self.root / 'mariadb.pid'}", f"--log-error={self.root / 'mariadb.err'}",
             "--innodb-buffer-pool-size=16M", "--innodb-log-file-size=8M", "--skip-log-bin"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        _wait(self.socket.exists, "mariadbd")
        subprocess.run(["mariadb", "--no-defaults", f"--socket={self.socket}", "-e",
                        "CREATE DATABASE wordpress CHARACTER SET utf8mb4"], check=True, timeout=60)

    def _site(self) -> None:
        self.site = self.root / "site"
        self.site.mkdir()
        for entry in WORDPRESS.iterdir():
            if entry.suffix == ".php" and entry.name != "wp-config.php":
                shutil.copy(entry, self.site / entry.name)
            elif entry.name in ("wp-admin", "wp-includes"):
                (self.site / entry.name).symlink_to(entry)
        content = self.site / "wp-content"
        (content / "themes").mkdir(parents=True)
        (content / "uploads").mkdir()
        for theme in THEMES.iterdir():
            (content / "themes" / theme.name).symlink_to(theme)
        (self.site / "wp-config.php").write_text(CONFIG.format(socket=self.socket, content=content, url=self.url))
        shutil.copy(HERE / "router.php", self.root / "router.php")

    def _install(self) -> None:
        self.published = self._setup(self.posts)

    def publish(self, posts: list[dict]) -> list[Published]:
        """Publish more posts on the running site (as an editor would); returns them as published."""
        more = self._setup(posts, "more")
        self.published += more
        return more

    def _setup(self, posts: list[dict], *mode: str) -> list[Published]:
        path = self.root / "posts.json"
        path.write_text(json.dumps(posts, ensure_ascii=False))
        done = subprocess.run(["php", str(HERE / "setup.php"), str(self.site), self.url, str(path), *mode],
                              capture_output=True, text=True, timeout=180)
        if done.returncode != 0 or "[" not in done.stdout:
            raise RuntimeError(f"WordPress setup failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
        return [Published(**p) for p in json.loads(done.stdout[done.stdout.index("["):])]

    def _serve(self) -> None:
        self.log = self.root / "php.log"
        self.procs.append(subprocess.Popen(["php", "-S", f"127.0.0.1:{self.port}", "-t", str(self.site),
                                            str(self.root / "router.php")],
                                           stdout=subprocess.DEVNULL, stderr=self.log.open("w"), cwd=self.root))

        def up() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return True
            except OSError:
                return False
        _wait(up, "php -S")

    def requests(self) -> list[tuple[int, str]]:
        """(status, path) of every request the site answered (router.php logs them)."""
        log = self.root / "requests.log"
        lines = log.read_text(errors="replace").splitlines() if log.exists() else []
        return [(int(status), path) for status, path in (line.split(" ", 1) for line in lines)]
