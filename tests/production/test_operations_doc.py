"""docs/operations.md, "Running in production", followed word for word: the shell block of that
section is run as written, and the server it starts must serve the sign-in page and its static files
behind the (simulated) TLS proxy and let the administrator the block invited activate the account
and sign in.

Only what cannot run here as written is replaced, each on its own line below, and nothing is added
to the commands:
- step 1 (`sudo apt-get install ...`, `git clone`, `make install`): this checkout is the clone and is
  installed; the packages the line installs must be among those `.ci/run` installs;
- the database URL's placeholders (`PASSWORD@db`) become a database of this run (a PostgreSQL
  database `<suite database>_ops` when the suite runs on PostgreSQL, a SQLite file otherwise);
- the interactive `createsuperuser` gets the scripted form the block's own comment gives;
- gunicorn binds a free port instead of 8000.
The invited administrator then activates the account through the link `sinergi invite` printed.
`SINERGI_VAR_DIR` points at a temporary folder so that the static files are not collected into the
checkout (the documented default is `<repo>/var`).
"""

import http.client
import os
import re
import secrets
import shlex
import subprocess
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.accounts.totp_codes import code_from_key, key_from_secret
from tests.production.conftest import _NOT_INHERITED, BIN, _free_port, _postgres_database

pytestmark = pytest.mark.production

REPO = Path(__file__).resolve().parents[2]
HOST = "sinergi.example.go.id"
ASSET = re.compile(r'\s(?:href|src)="(/static/[^"]+)"')


def production_block() -> str:
    text = (REPO / "docs" / "operations.md").read_text()
    section = text.split("## Running in production", 1)[1]
    match = re.search(r"```sh\n(.*?)\n```", section, flags=re.S)
    assert match, "docs/operations.md: no ```sh block under 'Running in production'"
    return match.group(1)


def as_run_here(block: str, *, database_url: str, port: int, superuser_password: str) -> tuple[str, list[str]]:
    """The block with only the replacements the module docstring lists; also the apt packages."""
    lines, packages = [], []
    for line in block.splitlines():
        if line.startswith("sudo apt-get install"):
            packages = [word for word in shlex.split(line.split("#")[0])[4:] if not word.startswith("-")]
            continue
        if line.startswith("git clone") or line.startswith("make install"):
            continue
        if "@db:5432/sinergi" in line:
            line = re.sub(r"postgres://sinergi:PASSWORD@db:5432/sinergi", database_url, line)
        if line.startswith(".venv/bin/sinergi createsuperuser"):
            line = f"DJANGO_SUPERUSER_PASSWORD={superuser_password} {line} --no-input"
        if line.startswith(".venv/bin/gunicorn"):
            line = "exec " + line.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        lines.append(line.replace(".venv/bin/", f"{BIN}/"))
    return "set -euo pipefail\n" + "\n".join(lines) + "\n", packages


class Browser:
    """Requests as the TLS proxy forwards them: the public host name and X-Forwarded-Proto https.
    Cookies are kept by hand: the session cookie is Secure, which a client speaking plain HTTP to the
    loopback would otherwise withhold."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, proxied: bool = True):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": HOST}
        if proxied:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{HOST}", "Referer": f"https://{HOST}{path}"})
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        data = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, response.headers, data

    def follow(self, path: str):
        for _ in range(5):
            status, headers, body = self.request("GET", path)
            if status not in (301, 302):
                return status, path, body
            path = urlsplit(headers["Location"]).path
        raise AssertionError(f"too many redirects from {path}")

    def sign_in(self, username: str, password: str) -> int:
        status, _, form = self.request("GET", "/akun/masuk/")
        assert status == 200, status
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        status, headers, _ = self.request("POST", "/akun/masuk/", {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": ""})
        return status


@pytest.fixture
def documented_server(tmp_path):
    suite_url = os.environ.get("DATABASE_URL", "")
    drop = None
    if urlsplit(suite_url).scheme in {"postgres", "postgresql", "pgsql"}:
        database_url, drop = _postgres_database(suite_url, suffix="_ops")
    else:
        database_url = f"sqlite:///{tmp_path / 'sinergi.sqlite3'}"
    port = _free_port()
    script, packages = as_run_here(production_block(), database_url=database_url, port=port, superuser_password=secrets.token_urlsafe(16))
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env["SINERGI_VAR_DIR"] = str(tmp_path / "var")
    log = tmp_path / "operations.log"
    with log.open("wb") as out:
        server = subprocess.Popen(["bash", "-c", script], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/akun/masuk/", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
                connection.getresponse().read()
                connection.close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the documented commands did not give a server:\n{log.read_text()[-4000:]}")
                time.sleep(0.5)
        yield port, packages, log
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        if drop is not None:
            drop()


def test_the_documented_production_set_up_gives_a_working_server(documented_server):
    port, packages, log = documented_server
    ci = (REPO / ".ci" / "run").read_text()
    missing = [p for p in packages if p not in ci and p != "python3-venv"]
    assert packages and not missing, f"docs/operations.md installs {missing}, which CI (.ci/run) does not"

    browser = Browser(port)
    # Plain HTTP reaching the server directly is sent to HTTPS (BEHIND_TLS_PROXY=1).
    status, headers, _ = browser.request("GET", "/akun/masuk/", proxied=False)
    assert status == 301 and headers["Location"].startswith(f"https://{HOST}/"), (status, headers.get("Location"))

    status, _, page = browser.request("GET", "/akun/masuk/")
    assert status == 200 and "Masuk" in page
    assets = ASSET.findall(page)
    assert assets, "the sign-in page names no static file"
    for asset in assets:
        status, headers, _ = browser.request("GET", asset)
        assert status == 200, f"{asset}: {status}"

    # The administrator the block invited opens the activation link the command printed, chooses a
    # password, enrols an authenticator, signs in with the password and a code and lands on the election the block created.
    link = re.search(rf"https://{re.escape(HOST)}(/akun/aktivasi/[^/\s]+/)", log.read_text())
    assert link, f"no activation link printed:\n{log.read_text()[-3000:]}"
    status, path, form = browser.follow(link.group(1))
    assert status == 200 and path == "/akun/aktivasi/kata-sandi/", (status, path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    password = secrets.token_urlsafe(16)
    status, headers, _ = browser.request("POST", path, {"csrfmiddlewaretoken": token, "new_password1": password, "new_password2": password})
    assert status == 302 and headers["Location"] == "/akun/masuk/autentikator/", (status, headers.get("Location"))
    # An administrator enrols an authenticator next (docs/accounts.md): the secret shown, its code.
    status, _, page = browser.request("GET", "/akun/masuk/autentikator/")
    assert status == 200, status
    key = key_from_secret(re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, headers, _ = browser.request("POST", "/akun/masuk/autentikator/", {"csrfmiddlewaretoken": token, "code": code_from_key(key)})
    assert status == 302 and headers["Location"] == "/akun/masuk/", (status, headers.get("Location"))
    username = re.search(r"sinergi invite (\S+)", production_block()).group(1)
    assert browser.sign_in(username, password) == 302
    status, _, page = browser.request("GET", "/akun/masuk/kode/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, headers, _ = browser.request("POST", "/akun/masuk/kode/", {"csrfmiddlewaretoken": token, "code": code_from_key(key, ahead=1)})
    assert status == 302, status
    status, path, page = browser.follow("/")
    assert status == 200, (status, path)
    slug = re.search(r"create-election .*--slug (\S+)", production_block()).group(1)
    assert path.startswith(f"/pemilihan/{slug}/"), path
