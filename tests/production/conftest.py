"""The production path, as docs/operations.md runs it: a database of its own migrated and loaded with
`sinergi demo`, `collectstatic` with the production storage, gunicorn with DEBUG off, a random
SECRET_KEY and AUDIT_KEY, and ALLOWED_HOSTS. Each step is a subprocess of the installed `sinergi` and `gunicorn`,
so nothing of the test settings leaks into it.

The database is a SQLite file of the run, or, when the suite runs on PostgreSQL (DATABASE_URL), a
database of its own on that server named after the suite's with `_smoke` appended: gunicorn is
another process, so it must read committed rows, not the suite's rolled-back test transactions.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

BIN = Path(sys.executable).parent
# What the suite's own environment sets that the production processes must not inherit.
_NOT_INHERITED = {"DEBUG", "SECRET_KEY", "AUDIT_KEY", "AUDIT_KEY_ID", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS", "SECURE_COOKIES"}


@dataclass
class Production:
    env: dict
    var: Path
    database_url: str

    def run(self, *args: str, timeout: int = 600, env: dict | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run([str(BIN / "sinergi"), *args], env={**self.env, **(env or {})}, capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"sinergi {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        return result


def _postgres_database(suite_url: str, suffix: str = "_smoke") -> tuple[str, callable]:
    """A fresh database `<suite's name><suffix>` on the suite's PostgreSQL server; its URL and a dropper."""
    import psycopg

    parts = urlsplit(suite_url)
    name = f"{parts.path.lstrip('/') or 'sinergi'}{suffix}"
    admin = urlunsplit(parts._replace(path="/postgres"))

    def execute(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def production(tmp_path_factory):
    """The environment of a production start (nothing run yet)."""
    var = tmp_path_factory.mktemp("production-var")
    suite_url = os.environ.get("DATABASE_URL", "")
    drop = None
    if urlsplit(suite_url).scheme in {"postgres", "postgresql", "pgsql"}:
        database_url, drop = _postgres_database(suite_url)
    else:
        database_url = f"sqlite:///{var / 'sinergi.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        AUDIT_KEY=secrets.token_urlsafe(50),  # production refuses to start without one
        AUDIT_KEY_ID="smoke",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="0",  # plain HTTP on the loopback; production sits behind TLS
        DATABASE_URL=database_url,
        SINERGI_VAR_DIR=str(var),
        ROUTING_ITERATIONS="400",  # the demo's distribution plan: valid, only less short
    )
    yield Production(env=env, var=var, database_url=database_url)
    if drop is not None:
        drop()


@pytest.fixture(scope="session")
def collected_static(production) -> Path:
    """`sinergi collectstatic --no-input` as docs/operations.md runs it; the STATIC_ROOT."""
    production.run("collectstatic", "--no-input", "-v0")
    return production.var / "static"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def production_site(production, collected_static) -> str:
    """gunicorn serving the demo with DEBUG off; its base URL."""
    production.run("migrate", "--no-input", "-v0")
    production.run("demo")
    port = _free_port()
    log = production.var / "gunicorn.log"
    command = [str(BIN / "gunicorn"), "sinergi.wsgi", "--workers", "2", "--worker-class", "gthread", "--threads", "4", "--bind", f"127.0.0.1:{port}"]
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=production.env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/akun/masuk/", timeout=10).close()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        errors = [line for line in log.read_text().splitlines() if "Traceback" in line or " ERROR " in line]
        if errors:
            print(f"gunicorn log ({log}) has errors:\n" + "\n".join(errors[:20]))
