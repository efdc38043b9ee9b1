"""`sinergi create-election`: a new election from a preset, moved to its own voting day, with every
per-election part a real election needs and nothing of the demo district."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from sinergi.accounts.models import Agency, User
from sinergi.audit.models import AuditEvent
from sinergi.elections.models import Election
from sinergi.elections.presets import PRESETS
from sinergi.logistics.models import KitItem
from sinergi.regions.models import Region
from sinergi.risk.models import Indicator, RiskRules, Variable
from sinergi.stations.models import Station
from sinergi.supervisors.checklists import PRESET as CHECKLISTS
from sinergi.supervisors.models import Question


def run(*args) -> str:
    out = io.StringIO()
    call_command("create_election", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def district_rows() -> tuple[int, ...]:
    return (Region.objects.count(), Agency.objects.count(), Station.objects.count(), User.objects.count())


def preset_offsets(preset: str) -> dict[str, tuple[int, int]]:
    """Days from voting day, computed from the preset's own dates (the oracle)."""
    data = PRESETS[preset]
    return {code: ((start - data["voting_date"]).days, (end - data["voting_date"]).days) for code, _, start, end in data["stages"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("preset", "slug", "voting_day", "zone"),
    [("pemilu-2024", "pemilu-2029", date(2029, 2, 14), "Asia/Jakarta"), ("pilkada-2024", "pilkada-2029", date(2029, 11, 28), "Asia/Jayapura")],
)
def test_a_preset_makes_a_whole_election_on_its_new_day(preset, slug, voting_day, zone):
    before = district_rows()
    out = run("--preset", preset, "--slug", slug, "--name", f"Contoh {slug}", "--voting-day", voting_day.isoformat(), "--time-zone", zone)

    election = Election.objects.get(slug=slug)
    data = PRESETS[preset]
    assert (election.name, election.kind, election.voting_date, election.time_zone) == (f"Contoh {slug}", data["kind"], voting_day, zone)
    assert (election.max_voters_per_station, election.ballot_reserve_percent) == (data["max_voters_per_station"], data["ballot_reserve_percent"])
    stages = {s.code: ((s.starts_on - voting_day).days, (s.ends_on - voting_day).days) for s in election.stages.all()}
    assert stages == preset_offsets(preset)
    voting = election.stages.get(code="pemungutan-suara")
    assert voting.starts_on == voting.ends_on == voting_day
    assert [b.code for b in election.ballot_types.all()] == [code for code, *_ in data["ballot_types"]]
    questions = set(Question.objects.filter(election=election).values_list("stage", "code"))
    assert questions == {(stage, code) for stage, rows in CHECKLISTS.items() for code, *_ in rows}
    template = Election.objects.get(slug=preset)
    assert list(Indicator.objects.filter(election=election).values_list("code", "text")) == list(
        Indicator.objects.filter(election=template).values_list("code", "text")
    )
    assert Variable.objects.filter(election=election).count() == Variable.objects.filter(election=template).count() > 0
    rules = RiskRules.objects.get(election=election)
    assert rules.severe_codes and set(rules.severe_codes) <= set(Indicator.objects.filter(election=election).values_list("code", flat=True))
    kit = set(KitItem.objects.filter(election=election).values_list("code", "quantity"))
    assert kit == set(KitItem.objects.filter(election=template).values_list("code", "quantity"))
    # Nothing of the district: no region, agency, TPS or account was made.
    assert district_rows() == before
    assert not Station.objects.filter(election=election).exists()
    assert f"Pemilihan '{slug}' dibuat" in out and "(H-3 s.d. H-1)  Masa tenang" in out
    actions = set(AuditEvent.objects.filter(election=slug).values_list("action", flat=True))
    assert {"election.create", "stage.save", "ballottype.save", "checklist.question", "risk_indicator.save", "risk_rules.save", "kit_item.save"} <= actions


@pytest.mark.django_db
def test_the_time_zone_defaults_to_the_presets():
    run("--preset", "pemilu-2024", "--slug", "pemilu-2029", "--name", "Pemilu 2029", "--voting-day", "2029-02-14")
    assert Election.objects.get(slug="pemilu-2029").time_zone == PRESETS["pemilu-2024"]["time_zone"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--voting-day", "2029-02-30"], "--voting-day: Tanggal '2029-02-30' tidak dikenal: tulis TTTT-BB-HH"),
        (["--voting-day", "14-02-2029"], "--voting-day: Tanggal '14-02-2029' tidak dikenal"),
        (
            ["--voting-day", "2029-02-14", "--time-zone", "Asia/Singapore"],
            "--time-zone: zona waktu 'Asia/Singapore' tidak dikenal; pilih salah satu: Asia/Jakarta (WIB)",
        ),
        (["--voting-day", "2029-02-14", "--slug", "Pemilu 2029"], "--slug: 'Pemilu 2029' tidak sah"),
        (["--voting-day", "2029-02-14", "--slug", "pilkada-2024"], "Pemilihan 'pilkada-2024' sudah ada; pilih kode lain dengan --slug. Tidak ada yang diubah."),
        (["--voting-day", "1999-02-14"], "hari_pemungutan: tahun 1999 di luar 2000–2100."),
        (["--voting-day", "2029-02-14", "--preset", "pemilu-2019"], "--preset: 'pemilu-2019' tidak dikenal; pilih salah satu: pemilu-2024, pilkada-2024."),
    ],
)
def test_bad_options_are_refused_and_nothing_is_written(args, message):
    options = {"--preset": "pemilu-2024", "--slug": "pemilu-2029", "--name": "Pemilu 2029"}
    for name, value in zip(args[::2], args[1::2], strict=True):
        options[name] = value
    elections, events = Election.objects.count(), AuditEvent.objects.count()
    stderr = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("create_election", *[part for pair in options.items() for part in pair], stdout=io.StringIO(), stderr=stderr)
    assert message in str(raised.value) + stderr.getvalue()
    assert (Election.objects.count(), AuditEvent.objects.count()) == (elections, events)


@pytest.mark.django_db
def test_a_taken_slug_leaves_the_existing_election_untouched(pilkada):
    stages = list(pilkada.stages.values_list("code", "starts_on"))
    with pytest.raises(CommandError, match="sudah ada"):
        run("--preset", "pemilu-2024", "--slug", "pilkada-2024", "--name", "Lain", "--voting-day", "2029-02-14")
    pilkada.refresh_from_db()
    assert (pilkada.name, pilkada.kind) == ("Pilkada Serentak 2024", "pilkada")
    assert list(pilkada.stages.values_list("code", "starts_on")) == stages


@pytest.mark.django_db
def test_a_preset_needs_slug_name_and_voting_day():
    with pytest.raises(CommandError, match="isi juga --name, --voting-day"):
        run("--preset", "pemilu-2024", "--slug", "pemilu-2029")
    assert not Election.objects.filter(slug="pemilu-2029").exists()


@pytest.mark.django_db
def test_dump_prints_the_moved_preset_and_writes_nothing():
    events = AuditEvent.objects.count()
    document = json.loads(run("--preset", "pilkada-2024", "--slug", "pilkada-2029", "--name", "Pilkada 2029", "--voting-day", "2029-11-28", "--dump"))
    assert (document["kode"], document["hari_pemungutan"], document["aturan"]["cadangan_surat_suara_persen"]) == ("pilkada-2029", "2029-11-28", "2.50")
    stages = {s["kode"]: (s["mulai"], s["selesai"]) for s in document["tahapan"]}
    assert stages["masa-tenang"] == ("2029-11-25", "2029-11-27")
    assert len(document["indikator"]) == Indicator.objects.filter(election__slug="pilkada-2024").count()
    assert not Election.objects.filter(slug="pilkada-2029").exists() and AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_the_reserve_keeps_its_two_decimals():
    run("--preset", "pilkada-2024", "--slug", "pilkada-2029", "--name", "Pilkada 2029", "--voting-day", "2029-11-28")
    assert Election.objects.get(slug="pilkada-2029").ballot_reserve_percent == Decimal("2.50")


@pytest.mark.django_db
def test_an_existing_election_is_copied_as_it_stands(pemilu):
    from sinergi.elections.services import set_stage_dates
    from sinergi.supervisors.checklists import save_question

    admin = User.objects.create_superuser("admin-salin", password="x" * 12)
    dates = {s.code: (s.starts_on, s.ends_on) for s in pemilu.stages.all()}
    dates["pemetaan-tps-rawan"] = (date(2024, 2, 1), date(2024, 2, 9))  # H-13 to H-5 after a new regulation
    set_stage_dates(actor=admin, election=pemilu, dates=dates)
    save_question(actor=admin, election=pemilu, stage="persiapan", code="kotak_tersegel", text="Kotak suara tersegel (kata Bawaslu)", kind="ya_tidak", required=True, order=0)

    run("--from-election", "pemilu-2024", "--slug", "psu-2024", "--name", "PSU 2024", "--voting-day", "2024-02-24")
    copy = Election.objects.get(slug="psu-2024")
    window = copy.stages.get(code="pemetaan-tps-rawan")
    assert (window.starts_on, window.ends_on) == (date(2024, 2, 11), date(2024, 2, 19))
    assert Question.objects.get(election=copy, code="kotak_tersegel").text == "Kotak suara tersegel (kata Bawaslu)"
    assert RiskRules.objects.get(election=copy).severe_codes == RiskRules.objects.get(election=pemilu).severe_codes
    assert not Station.objects.filter(election=copy).exists()


@pytest.mark.django_db
def test_copying_needs_a_new_slug_and_an_existing_source():
    with pytest.raises(CommandError, match="Pemilihan 'pemilu-2024' sudah ada; pilih kode lain dengan --slug"):
        run("--from-election", "pemilu-2024")
    with pytest.raises(CommandError, match="Pemilihan 'pemilu-2019' tidak ada"):
        run("--from-election", "pemilu-2019", "--slug", "x-2029")


@pytest.mark.django_db(transaction=True)
def test_a_created_election_is_committed_whole_with_an_intact_audit_chain(committed):
    from django.db import connection

    assert not connection.in_atomic_block  # the command's own transaction is the one that commits
    run("--preset", "pilkada-2024", "--slug", "pilkada-2029", "--name", "Pilkada 2029", "--voting-day", "2029-11-28")
    election = Election.objects.get(slug="pilkada-2029")
    assert Question.objects.filter(election=election).exists() and KitItem.objects.filter(election=election).exists()
    with pytest.raises(CommandError, match="sudah ada"):
        run("--preset", "pemilu-2024", "--slug", "pilkada-2029", "--name", "Lain", "--voting-day", "2029-02-14")
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith("Audit chain intact")
    assert AuditEvent.objects.filter(election="pilkada-2029", action="election.create").count() == 1


@pytest.mark.django_db
def test_the_service_refuses_agency_users_and_a_taken_slug(user_of):
    from dataclasses import replace

    from django.core.exceptions import PermissionDenied, ValidationError

    from sinergi.elections.definition import shifted
    from sinergi.elections.services import create_election
    from sinergi.elections.setup import preset_definition
    from tests import personas

    definition = replace(shifted(preset_definition("pemilu-2024"), date(2029, 2, 14)), slug="pemilu-2029")
    with pytest.raises(PermissionDenied):
        create_election(actor=user_of(personas.BAWASLU), definition=definition)
    with pytest.raises(ValidationError, match="pemilihan 'pemilu-2024' sudah ada"):
        create_election(actor=None, definition=replace(definition, slug="pemilu-2024"))
    assert not Election.objects.filter(slug="pemilu-2029").exists()
