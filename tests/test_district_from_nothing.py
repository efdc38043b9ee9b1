"""From zero to a district in use (issue 14), following docs/deployment.md alone.

Every `sinergi` line of the guide's shell blocks is run in-process (`call_command`, as the console
script dispatches it), in the guide's order and with its options, on an emptied database: no
`sinergi demo`, no base data, no Python beyond what the commands do. The only substitutions: the
paths `tests/fixtures/contoh/...` are made absolute, and the files the commands write land in a
temporary folder (the working directory). Each activation link `sinergi invite` prints is opened
with a browser-like client, as the invited person would. A guide line that is not a `sinergi`
command fails the test: the guide may not hide a step.

Then the district must be in use: every TPS in a guard post and no Polsek short of police, every TPS
served before the deadline by the stored distribution plan, a field code (and account) for every
PTPS, the administrators signed in on their pages, a PTPS signed in with its code, the audit chain
intact.
"""

import csv
import io
import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings

from sinergi.accounts.models import Agency, User
from sinergi.elections.models import Election
from sinergi.logistics.models import DistributionPlan
from sinergi.logistics.stored_plan import read_plan
from sinergi.regions.models import Region
from sinergi.stations.models import Station
from sinergi.supervisors.models import Assignment, FieldLogin
from tests.accounts.totp_codes import code_from_key, key_from_secret

REPO = Path(__file__).resolve().parents[1]
GUIDE = REPO / "docs" / "deployment.md"
FIXTURES = "tests/fixtures/contoh/"
SITE_URL = "https://sinergi.contoh.example"
PASSWORD = "Kabupaten-Contoh-2029!"
# What the guide says each step prints (command, its n-th run in the guide, standard output or error).
PRINTED = [
    ("load-regions", 0, "out", "17 wilayah baru, 0 diperbarui, 0 tidak berubah."),
    ("create-election", 0, "out", "masa-tenang            11-02-2029 s.d. 13-02-2029  (H-3 s.d. H-1)"),
    ("create-election", 0, "out", "5 jenis surat suara, 13 pertanyaan Form A, 7 variabel dan 22 indikator kerawanan, 10 barang perlengkapan TPS."),
    ("setup-district", 0, "out", "Kabupaten Contoh: 38 lembaga dibuat"),
    ("setup-district", 0, "out", "+ polsek-nusa-karang"),
    ("invite", 0, "out", "Diundang: ayu.bawaslu (Bawaslu Kabupaten Contoh, Pimpinan/administrator, wilayah 99.01)"),
    ("import-stations", 0, "out", "40 TPS baru, 0 diperbarui, 0 tidak berubah."),
    ("setup-district", 1, "out", "Kecamatan Nusa Karang: 12 TPS di 4 desa/kelurahan"),
    ("setup-district", 1, "out", "Kabupaten Contoh: tidak ada yang dibuat; 38 lembaga sudah ada."),
    ("import-supervisors", 0, "out", "55 memenuhi syarat, 0 pendaftar belum memenuhi syarat."),
    ("field-logins", 0, "out", "40 kode masuk baru ditulis ke kode-lapangan-pemilu-2029.csv."),
    ("load-formation", 0, "out", "Kurang rawan: 2 : 4 : 8"),
    ("load-formation", 1, "out", "Polsek Nusa Karang: 6 + 4"),
    ("load-formation", 1, "out", "Personel: 3 Polsek baru, 0 diubah, 0 tidak berubah."),
    ("network", 0, "out", "3 tempat, 1 penyeberangan, 1 kendaraan."),
    ("guard-plan", 0, "err", "Nusa Karang: 3 pos, 12 TPS, 6 polisi, 24 Linmas; tersedia 10"),
    ("logistics-plan", 0, "err", "2 konvoi; 40 dari 40 TPS terlayani; 0 terlambat."),
    ("verify-audit", 0, "out", "Audit chain intact: "),
]


def guide_commands() -> list[list[str]]:
    """The `sinergi` command lines of the guide's ```sh blocks, in order, as argument lists."""
    blocks = re.findall(r"```sh\n(.*?)\n```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            words = shlex.split(line)
            assert words[0] == ".venv/bin/sinergi", f"docs/deployment.md: a step that is not a sinergi command: {line!r}"
            commands.append([str(REPO / w) if w.startswith(FIXTURES) else w for w in words[1:]])
    return commands


def run(words: list[str]) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(words[0].replace("-", "_"), *words[1:], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# Each invited desk account's authenticator key, as its app holds it after scanning the QR code.
AUTHENTICATORS: dict[str, bytes] = {}


def activate(url: str, username: str) -> None:
    """What the invited person does: open the link, choose a password (the form's own address), then
    enrol the authenticator app by the secret the page shows and confirm with its first code."""
    browser = Client()
    opened = browser.get(urlsplit(url).path)
    assert opened.status_code == 302 and opened["Location"] == "/akun/aktivasi/kata-sandi/", opened.status_code
    saved = browser.post(opened["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    if saved["Location"] == "/akun/masuk/autentikator/":  # a desk account enrols TOTP (docs/accounts.md)
        page = browser.get(saved["Location"])
        secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
        AUTHENTICATORS[username] = key_from_secret(secret)
        confirmed = browser.post(saved["Location"], {"code": code_from_key(AUTHENTICATORS[username])})
        assert confirmed.status_code == 302, confirmed.content.decode()[:2000]


SESSIONS: dict[str, Client] = {}


def signed_in(username: str) -> Client:
    """The account's browser, signed in once (a TOTP code is good for one sign-in a step)."""
    if username in SESSIONS:
        return SESSIONS[username]
    browser = SESSIONS[username] = Client()
    answer = browser.post("/akun/masuk/", {"username": username, "password": PASSWORD})
    assert answer.status_code == 302, f"{username} cannot sign in"
    if answer["Location"].startswith("/akun/masuk/kode/"):  # the second step: the authenticator's code
        answer = browser.post("/akun/masuk/kode/", {"code": code_from_key(AUTHENTICATORS[username], ahead=1)})
        assert answer.status_code == 302, f"{username}: code refused"
    return browser


@pytest.mark.django_db(transaction=True)
@override_settings(SITE_URL=SITE_URL)
def test_a_district_from_nothing_by_the_deployment_guide_alone(tmp_path, monkeypatch):
    SESSIONS.clear(), AUTHENTICATORS.clear()
    call_command("flush", interactive=False, verbosity=0)  # the suite's base data out: an empty database
    assert not Region.objects.exists() and not Election.objects.exists() and not User.objects.exists()
    monkeypatch.chdir(tmp_path)  # the files the commands write

    commands = guide_commands()
    names = [words[0] for words in commands]
    assert "demo" not in names and "shell" not in names
    output: dict[str, list[tuple[str, str]]] = {}
    invited = []
    for words in commands:
        out, err = run(words)
        output.setdefault(words[0], []).append((out, err))
        if words[0] == "invite":
            url = re.search(r"^(https://\S+/akun/aktivasi/\S+/)$", out, flags=re.M).group(1)
            assert url.startswith(SITE_URL)
            activate(url, words[1])
            invited.append(words[1])

    # Each step printed what the guide says it prints, and warned of nothing.
    for command, nth, stream, text in PRINTED:
        printed = output[command][nth][0 if stream == "out" else 1]
        assert text in printed, f"docs/deployment.md says `{command}` prints {text!r}; it printed:\n{printed}"
    warned = {command: err for command, runs in output.items() for _out, err in runs if "Peringatan" in err or "Catatan" in err}
    assert not warned
    assert len(mail.outbox) == 3 and all(SITE_URL + "/akun/aktivasi/" in message.body for message in mail.outbox)

    # Regions, election, agencies: only the invented district, only what the commands made.
    load_regions = next(words for words in commands if words[0] == "load-regions")
    assert run(load_regions)[0] == "0 wilayah baru, 0 diperbarui, 17 tidak berubah.\n"  # the guide's check
    district = Region.objects.filter(code__startswith="99.01")
    assert district.filter(level=3).count() == 3 and district.filter(level=4).count() == 12
    assert Region.objects.count() == 17  # no Klungkung: nothing of the demo
    election = Election.objects.get()
    assert (election.slug, str(election.voting_date)) == ("pemilu-2029", "2029-02-14")
    assert Agency.objects.count() == 38 and Agency.objects.filter(kind=Agency.Kind.POLSEK).count() == 3

    # The invited administrators activated their accounts and work on their pages.
    assert invited == ["ayu.bawaslu", "wirawan.polres", "sari.kpu"]
    for username in invited:
        user = User.objects.get(username=username)
        assert user.is_active and user.has_usable_password() and user.role == User.Role.ADMIN
    pages = [
        ("ayu.bawaslu", "/pemilihan/pemilu-2029/pengawas/", "Fiktif PTPS Karang Baru 1"),
        ("ayu.bawaslu", "/pemilihan/pemilu-2029/peta/", "Pemilu 2029"),
        ("wirawan.polres", "/pemilihan/pemilu-2029/pengamanan/", "Polsek Nusa Karang"),
        ("sari.kpu", "/pemilihan/pemilu-2029/logistik/distribusi/", "Tanjung – Karang Baru (kapal RoRo)"),
        ("sari.kpu", "/pemilihan/pemilu-2029/logistik/jaringan/", "Gudang logistik KPU Kabupaten Contoh"),
    ]
    for username, path, shown in pages:
        page = signed_in(username).get(path)
        assert page.status_code == 200 and shown in page.content.decode(), (username, path)
    accounts = signed_in("ayu.bawaslu").get("/akun/pengguna/").content.decode()
    row = re.search(r'<tr data-username="ayu\.bawaslu">(.*?)</tr>', accounts, flags=re.S).group(1)
    assert 'data-status="active">Aktif<' in row

    # TPS: 40, twelve of them on the island over the crossing; one PTPS and one field code each.
    stations = Station.objects.filter(election=election)
    assert stations.count() == 40
    assert stations.filter(access=Station.Access.SEA, crossing="Tanjung – Karang Baru (kapal RoRo)").count() == 12
    ptps = Assignment.objects.filter(election=election, role=Assignment.Role.PTPS, status__in=Assignment.ACTIVE)
    assert ptps.count() == 40 and set(ptps.values_list("station_id", flat=True)) == set(stations.values_list("pk", flat=True))
    assert Assignment.objects.filter(election=election, status__in=Assignment.ACTIVE).count() == 55
    assert FieldLogin.objects.filter(assignment__in=ptps, revoked_at__isnull=True).count() == 40
    assert not ptps.filter(supervisor__user__isnull=True).exists()
    with (tmp_path / "kode-lapangan-pemilu-2029.csv").open(encoding="utf-8") as file:
        codes = list(csv.DictReader(file))
    assert len(codes) == 40 and all(row["tautan"] == f"{SITE_URL}/lapangan/masuk/#kode={row['kode']}" for row in codes)
    island = next(row for row in codes if row["desa"] == "Karang Baru")
    field = Client()
    assert field.post("/lapangan/masuk/", {"kode": island["kode"]}).status_code == 302
    assert field.get("/api/v1/reports/me").status_code == 200

    # The guard plan: every TPS in a post, no Polsek short of police.
    with (tmp_path / "rencana-pengamanan.csv").open(encoding="utf-8") as file:
        guard = list(csv.DictReader(file))
    assert len(guard) == 40 and all(row["pos"] for row in guard)
    assert {row["kelas"] for row in guard if row["kode_desa"] == "99.01.01.1001" and row["nomor_tps"] == "5"} == {"khusus"}
    island_posts = {row["pos"] for row in guard if row["kode_kecamatan"] == "99.01.03"}
    assert island_posts and not island_posts & {row["pos"] for row in guard if row["kode_kecamatan"] != "99.01.03"}
    assert "KURANG" not in output["guard-plan"][0][1]

    # The distribution plan, stored: every TPS served before the deadline, the island over the RoRo.
    with (tmp_path / "rencana-distribusi.json").open(encoding="utf-8") as file:
        plan = json.load(file)
    assert plan["stations"] == 40 and plan["late"] == [] and plan["violations"] == []
    assert set(read_plan(plan, election.time_zone).deliveries()) == set(stations.values_list("pk", flat=True))
    assert any(convoy["crossing"] == "Tanjung – Karang Baru (kapal RoRo)" for convoy in plan["convoys"])
    assert DistributionPlan.objects.get(election=election).data == plan

    # Every step is in the audit trail, and the chain holds (also after the sign-ins above).
    assert run(["verify-audit"])[0].startswith("Audit chain intact")
