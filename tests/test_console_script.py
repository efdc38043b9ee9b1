"""The `sinergi` console script end to end, on a fresh database of its own (as in the README)."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

SINERGI = Path(sys.executable).with_name("sinergi")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(SECRET_KEY="console-script-test-key", AUDIT_KEY="console-script-audit-key", SINERGI_VAR_DIR=str(var))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(SINERGI), *args], env=env, capture_output=True, text=True, timeout=300)

    assert run("migrate", "--no-input", "-v0").returncode == 0
    demo = run("demo")
    assert demo.returncode == 0, demo.stderr
    return run


def test_demo_then_export_prints_the_klungkung_figures(run):
    result = run("export-stations", "--election", "pemilu-2024", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 649
    assert sum(1 for r in rows if r["kode_kecamatan"] == "51.05.01") == 198
    assert sum(int(r["pemilih"]) for r in rows) == 167_052
    pilkada = list(csv.DictReader(io.StringIO(run("export-stations", "--election", "pilkada-2024").stdout)))
    assert len(pilkada) == 335 and max(int(r["pemilih"]) for r in pilkada) <= 600


def test_a_bad_import_exits_non_zero_and_a_reimport_reports_unchanged(run, tmp_path):
    export = tmp_path / "tps.csv"
    assert run("export-stations", "--election", "pemilu-2024", "--output", str(export)).returncode == 0
    good = run("import-stations", "--election", "pemilu-2024", str(export))
    assert good.returncode == 0 and "649 tidak berubah" in good.stdout
    lines = export.read_text().splitlines()
    lines[5] = lines[5].replace(",laut,", ",kapal terbang,")
    bad_file = tmp_path / "bad.csv"
    bad_file.write_text("\n".join(lines) + "\n")
    bad = run("import-stations", "--election", "pemilu-2024", str(bad_file))
    assert bad.returncode != 0
    assert "Baris 6, kolom 'akses'" in bad.stderr


def test_create_token_and_verify_audit(run):
    token = run("create-token", "polsek-nusapenida")
    assert token.returncode == 0 and token.stdout.startswith("sng_")
    assert run("create-token", "tidak-ada").returncode != 0
    verify = run("verify-audit")
    assert verify.returncode == 0 and "Audit chain intact" in verify.stdout


def test_invite_prints_a_link_and_refuses_bad_input_with_a_non_zero_exit(run):
    invited = run("invite", "made.sudana", "--agency", "bawaslu-klungkung", "--role", "admin", "--name", "Made Sudana")
    assert invited.returncode == 0, invited.stderr
    assert "Diundang: made.sudana" in invited.stdout and "/akun/aktivasi/" in invited.stdout
    outside = run("invite", "orang-baru", "--agency", "panwascam-nusa-penida", "--role", "staff", "--area", "51.05.04")
    assert outside.returncode != 0 and "harus berada di dalam wilayah lembaganya" in outside.stderr


def test_production_settings_hash_passwords_with_argon2(run):
    # The console script runs with sinergi.settings (not the test settings): the demo users
    # created by `sinergi demo` above carry Argon2 hashes.
    code = "from sinergi.accounts.models import User; print(User.objects.get(username='bawaslu').password.split('$')[0])"
    result = run("shell", "--no-imports", "-c", code)
    assert result.stdout.strip() == "argon2", result.stderr


def test_create_election_writes_a_new_election_and_refuses_a_bad_day(run):
    created = run("create-election", "--preset", "pilkada-2024", "--slug", "pilkada-2029", "--name", "Pilkada Serentak 2029", "--voting-day", "2029-11-28")
    assert created.returncode == 0, created.stderr
    assert "Pemilihan 'pilkada-2029' dibuat" in created.stdout and "Rabu, 28-11-2029" in created.stdout
    again = run("create-election", "--preset", "pilkada-2024", "--slug", "pilkada-2029", "--name", "Lain", "--voting-day", "2029-11-28")
    assert again.returncode == 1 and "sudah ada" in again.stderr
    bad = run("create-election", "--preset", "pemilu-2024", "--slug", "pemilu-2029", "--name", "Pemilu 2029", "--voting-day", "kemarin")
    assert bad.returncode == 1 and "--voting-day: Tanggal 'kemarin' tidak dikenal" in bad.stderr
    listed = run("export-stations", "--election", "pemilu-2029", "--format", "csv")
    assert listed.returncode == 1 and "Pemilihan 'pemilu-2029' tidak ada" in listed.stderr
