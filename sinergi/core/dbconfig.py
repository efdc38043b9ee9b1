"""The database of a deployment from its DATABASE_URL (settings.py): SQLite for one district on
one machine, PostgreSQL otherwise, each with the connection options Sinergi relies on."""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def database_settings(url: str, var_dir: Path) -> dict:
    """Django's DATABASES["default"] for `url` (sqlite:// or postgres://); ImproperlyConfigured for
    another scheme. A SQLite file's directory (`var_dir`) is made if missing."""
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(f"DATABASE_URL: unsupported scheme {scheme!r}; use sqlite:// or postgres://")
    database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers proceed during a write; IMMEDIATE makes a writing transaction take the
        # write lock at BEGIN, so two writers queue on busy_timeout instead of failing mid-way.
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        if database["NAME"] != ":memory:":
            var_dir.mkdir(parents=True, exist_ok=True)
    else:
        # Sinergi prepares one statement, voting day's report INSERT (supervisors/inserts.py): planning
        # it cost PostgreSQL more than running it. psycopg prepares nothing unless prepare_threshold is
        # set, and Django's own cursors bind on the client and are never prepared, whatever it is. A
        # prepared statement keeps one generic plan (PostgreSQL's default re-plans while it deems a
        # custom plan cheaper); only prepared statements are affected.
        options = database.setdefault("OPTIONS", {})
        options.setdefault("prepare_threshold", 5)
        options["options"] = f"{options.get('options', '')} -c plan_cache_mode=force_generic_plan".strip()
    return database
