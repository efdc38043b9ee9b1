"""Settings come from the environment, strictly; production refuses an insecure start."""

import os
import subprocess
import sys

import pytest

from sinergi.core.env import EnvError, env_bool, env_int, env_list


def start(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "AUDIT_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='sinergi.settings'; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], settings.TIME_ZONE)"
    return subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True)


def test_production_refuses_to_start_with_the_default_secret_key():
    result = start({})
    assert result.returncode != 0
    assert "SECRET_KEY is the built-in development key" in result.stderr


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    result = start({"SECRET_KEY": "x" * 50, "SINERGI_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "AUDIT_KEY is not set" in result.stderr


def test_production_starts_with_a_real_secret_key_and_sqlite_by_default(tmp_path):
    result = start({"SECRET_KEY": "x" * 50, "AUDIT_KEY": "y" * 50, "SINERGI_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "Asia/Makassar"]


def test_database_url_selects_postgresql(tmp_path):
    result = start({"DEBUG": "1", "DATABASE_URL": "postgres://u@db.example:5432/sinergi", "SINERGI_VAR_DIR": str(tmp_path)})
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


def test_uploads_go_to_an_s3_compatible_store_by_setting(tmp_path):
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='sinergi.settings'; django.setup(); from django.conf import settings; print(settings.STORAGES['default'])"
    env = {"DEBUG": "1", "SINERGI_VAR_DIR": str(tmp_path), "MEDIA_STORAGE": "s3", "S3_BUCKET": "sinergi-klungkung", "S3_ENDPOINT_URL": "https://s3.example.id"}
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "'storages.backends.s3.S3Storage'" in result.stdout and "'bucket_name': 'sinergi-klungkung'" in result.stdout
    assert "'endpoint_url': 'https://s3.example.id'" in result.stdout and "'default_acl': None" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe': expected one of"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://x/y"}, "unsupported scheme 'mysql'"),
        ({"DEBUG": "1", "LOGIN_FAILURE_LIMIT": "lima"}, "LOGIN_FAILURE_LIMIT='lima': expected a whole number"),
        ({"DEBUG": "1", "MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE: 'ftp' is neither 'local' nor 's3'"),
        ({"DEBUG": "1", "MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs S3_BUCKET"),
        ({"DEBUG": "1", "AUDIT_OLD_KEYS": "2024"}, "AUDIT_OLD_KEYS: expected comma-separated id:key pairs"),
        ({"DEBUG": "1", "AUDIT_KEY_ID": "a:b"}, "AUDIT_KEY_ID='a:b'"),
    ],
)
def test_a_malformed_variable_stops_the_start_naming_it(env, message, tmp_path):
    result = start({**env, "SINERGI_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert message in result.stderr


def test_parsers(monkeypatch):
    monkeypatch.setenv("A", "Yes")
    assert env_bool("A", False) is True
    monkeypatch.setenv("A", "off")
    assert env_bool("A", True) is False
    monkeypatch.setenv("N", "12")
    assert env_int("N", 1) == 12
    monkeypatch.setenv("L", " a, ,b ")
    assert env_list("L", []) == ["a", "b"]
    monkeypatch.setenv("N", "1.5")
    with pytest.raises(EnvError):
        env_int("N", 1)


def test_site_url_must_be_a_full_address(tmp_path):
    bad = start({"DEBUG": "1", "SINERGI_VAR_DIR": str(tmp_path), "SITE_URL": "sinergi.example.go.id"})
    assert bad.returncode != 0 and "SITE_URL" in bad.stderr and "https://sinergi.example.go.id" in bad.stderr
    good = start({"DEBUG": "1", "SINERGI_VAR_DIR": str(tmp_path), "SITE_URL": "https://sinergi.example.go.id/"})
    assert good.returncode == 0, good.stderr
