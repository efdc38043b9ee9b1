"""`sinergi create-election --file`: an election no preset describes, from the documented JSON format
(docs/elections.md, docs/examples/election.json); a bad file is refused whole, every problem named."""

import copy
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from sinergi.audit.models import AuditEvent
from sinergi.elections.definition import DefinitionRejected, offsets, shifted
from sinergi.elections.fileformat import parse, to_document
from sinergi.elections.models import Election
from sinergi.elections.setup import VOCABULARY, definition_of, preset_definition
from sinergi.logistics.models import KitItem
from sinergi.risk.models import Indicator, RiskRules
from sinergi.supervisors.models import Question

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "election.json"


def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def create_from(tmp_path, document, *options) -> tuple[str, str]:
    path = tmp_path / "pemilihan.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("create_election", "--file", str(path), *options, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_documented_example_creates_its_election(tmp_path):
    document = example()
    out, err = create_from(tmp_path, document)
    assert err == ""
    election = Election.objects.get(slug=document["kode"])
    assert (election.voting_date, election.time_zone, election.kind) == (date.fromisoformat(document["hari_pemungutan"]), "Asia/Jakarta", "pemilu")
    assert [(s.code, s.starts_on.isoformat(), s.ends_on.isoformat()) for s in election.stages.order_by("order")] == [
        (s["kode"], s["mulai"], s["selesai"]) for s in document["tahapan"]
    ]
    assert [b.code for b in election.ballot_types.all()] == ["dprd-kabkota"]
    asked = {(stage, q["kode"]) for stage, rows in document["daftar_periksa"].items() for q in rows}
    assert set(Question.objects.filter(election=election).values_list("stage", "code")) == asked
    assert set(Indicator.objects.filter(election=election).values_list("code", flat=True)) == {i["kode"] for i in document["indikator"]}
    rules = RiskRules.objects.get(election=election)
    assert (rules.severe_codes, rules.special_codes) == (document["indikator_berat"], document["indikator_lokasi_khusus"])
    # One ballot type: its ballots, one box and one set of seals per TPS.
    assert dict(KitItem.objects.filter(election=election, code__in=["kotak-suara", "segel"]).values_list("code", "quantity")) == {"kotak-suara": 1, "segel": 1}
    assert "1 jenis surat suara" in out
    assert AuditEvent.objects.filter(election=election.slug, action="election.create").count() == 1


@pytest.mark.django_db
def test_options_override_the_files_slug_name_and_day(tmp_path):
    document = example()
    create_from(tmp_path, document, "--slug", "psu-2029", "--name", "PSU 2029", "--voting-day", "2029-03-03", "--time-zone", "Asia/Makassar")
    election = Election.objects.get(slug="psu-2029")
    assert (election.name, election.voting_date, election.time_zone) == ("PSU 2029", date(2029, 3, 3), "Asia/Makassar")
    # The file's stages moved with the voting day: each keeps its distance from it.
    voting = date.fromisoformat(document["hari_pemungutan"])
    wanted = {s["kode"]: (date.fromisoformat(s["mulai"]) - voting).days for s in document["tahapan"]}
    assert {s.code: (s.starts_on - election.voting_date).days for s in election.stages.all()} == wanted
    assert not Election.objects.filter(slug=document["kode"]).exists()


def broken(change) -> dict:
    document = example()
    change(document)
    return document


def set_path(document, path, value):
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


BAD_FILES = [
    ("format", lambda d: set_path(d, ["format"], "sinergi/2"), 'format: tulis "sinergi-pemilihan/1"'),
    ("missing key", lambda d: d.pop("zona_waktu"), "zona_waktu: kunci ini wajib ada"),
    ("unknown key", lambda d: set_path(d, ["warna_tema"], "biru"), ": warna_tema: kunci 'warna_tema' tidak dikenal"),
    ("bad slug", lambda d: set_path(d, ["kode"], "PSU 2024"), "kode: 'PSU 2024' tidak sah; pakai huruf kecil"),
    ("unknown zone", lambda d: set_path(d, ["zona_waktu"], "Asia/Tokyo"), "zona_waktu: 'Asia/Tokyo' tidak dikenal; pilih salah satu: Asia/Jakarta"),
    ("bad date", lambda d: set_path(d, ["tahapan", 1, "mulai"], "2024-02-30"), "tahapan[1].mulai: '2024-02-30' bukan tanggal; tulis TTTT-BB-HH"),
    ("end before start", lambda d: set_path(d, ["tahapan", 2, "selesai"], "2024-02-20"), "tahapan[2].selesai: 20-02-2024 sebelum mulai 21-02-2024"),
    ("voting day outside its stage", lambda d: set_path(d, ["hari_pemungutan"], "2024-02-25"), "harus memuat hari pemungutan suara 25-02-2024"),
    ("no voting stage", lambda d: set_path(d, ["tahapan", 3, "kode"], "hari-h"), "Perlu tahapan berkode 'pemungutan-suara'"),
    ("duplicate stage", lambda d: set_path(d, ["tahapan", 1, "kode"], "pembentukan-ptps"), "tahapan[1].kode: 'pembentukan-ptps' muncul dua kali."),
    ("no ballot type", lambda d: set_path(d, ["surat_suara"], []), "surat_suara: perlu sedikitnya satu jenis surat suara"),
    ("long ballot code", lambda d: set_path(d, ["surat_suara", 0, "kode"], "d" * 29), "surat_suara[0].kode: isi teks 1–28 karakter."),
    ("bad colour", lambda d: set_path(d, ["surat_suara", 0, "warna_hex"], "hijau"), "surat_suara[0].warna_hex: 'hijau' bukan warna; tulis #rrggbb"),
    ("voters as text", lambda d: set_path(d, ["aturan", "pemilih_maks_per_tps"], "300"), "aturan.pemilih_maks_per_tps: isi bilangan bulat 1–1000."),
    ("reserve", lambda d: set_path(d, ["aturan", "cadangan_surat_suara_persen"], "2.125"), "aturan.cadangan_surat_suara_persen: isi persen 0–100"),
    ("form A stage", lambda d: set_path(d, ["daftar_periksa", "sebelum"], []), "daftar_periksa.sebelum: tahap 'sebelum' tidak dikenal; pilih dari: persiapan"),
    (
        "question kind",
        lambda d: set_path(d, ["daftar_periksa", "persiapan", 0, "jenis"], "pilihan"),
        "daftar_periksa.persiapan[0].jenis: 'pilihan' tidak dikenal",
    ),
    (
        "reserved code",
        lambda d: set_path(d, ["daftar_periksa", "persiapan", 0, "kode"], "lampiran"),
        "daftar_periksa.persiapan[0].kode: 'lampiran' dipakai Form A",
    ),
    ("required as text", lambda d: set_path(d, ["daftar_periksa", "persiapan", 1, "wajib"], "ya"), "daftar_periksa.persiapan[1].wajib: isi true atau false."),
    ("duplicate indicator", lambda d: set_path(d, ["indikator", 1, "kode"], "1.1"), "indikator[1].kode: kode indikator '1.1' muncul dua kali."),
    ("variable renamed", lambda d: set_path(d, ["indikator", 1, "nama_variabel"], "Lain"), "indikator[1].nama_variabel: variabel 1 sudah bernama"),
    ("unknown severe code", lambda d: set_path(d, ["indikator_berat"], ["2.1", "9.9"]), "indikator_berat[1]: '9.9' bukan kode di daftar indikator"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "message"), [(change, message) for _, change, message in BAD_FILES], ids=[name for name, *_ in BAD_FILES])
def test_a_bad_file_is_refused_whole_naming_the_field(tmp_path, change, message):
    elections, events = Election.objects.count(), AuditEvent.objects.count()
    out, err = create_from(tmp_path, broken(change))
    assert message in err, err
    assert "pemilihan tidak dibuat" in err and out == ""
    assert (Election.objects.count(), AuditEvent.objects.count()) == (elections, events)


@pytest.mark.django_db
def test_every_problem_of_a_file_is_listed_once(tmp_path):
    def many(d):
        d.pop("aturan")
        d["tahapan"][0]["mulai"] = "kemarin"
        d["surat_suara"][0]["warna_hex"] = "#12345"

    _, err = create_from(tmp_path, broken(many))
    lines = [line for line in err.splitlines() if "pemilihan.json:" in line]
    assert len(lines) == 3, lines
    assert "3 kesalahan; pemilihan tidak dibuat." in err


@pytest.mark.django_db
def test_a_file_that_is_not_json_or_is_yaml_is_refused(tmp_path):
    _, err = create_from(tmp_path, '{"format": "sinergi-pemilihan/1",')
    assert "bukan JSON yang sah (baris 1" in err
    yaml_file = tmp_path / "pemilihan.yaml"
    yaml_file.write_text("format: sinergi-pemilihan/1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="hanya JSON yang dibaca"):
        call_command("create_election", "--file", str(yaml_file), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_a_file_whose_slug_is_taken_is_refused(tmp_path):
    document = example()
    document["kode"] = "pemilu-2024"
    _, err = create_from(tmp_path, document)
    assert "Pemilihan 'pemilu-2024' sudah ada" in err
    assert Election.objects.get(slug="pemilu-2024").name == "Pemilu 2024"


@pytest.mark.django_db
@pytest.mark.parametrize("preset", ["pemilu-2024", "pilkada-2024"])
def test_a_dumped_preset_reads_back_unchanged(preset):
    definition = preset_definition(preset)
    assert parse(json.loads(json.dumps(to_document(definition))), VOCABULARY) == definition


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["pemilu-2024", "pilkada-2024"])
def test_an_existing_election_dumps_and_reads_back_unchanged(slug):
    definition = definition_of(Election.objects.get(slug=slug))
    assert len(definition.questions) == Question.objects.filter(election__slug=slug).count() > 0
    assert parse(json.loads(json.dumps(to_document(definition))), VOCABULARY) == definition


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 1, 1)))
def test_shifting_a_preset_keeps_every_stage_offset(voting_day):
    # Built without the database: the preset's catalogue CSV and questions are files and constants.
    definition = _pemilu()
    moved = shifted(definition, voting_day)
    assert moved.voting_date == voting_day
    assert offsets(moved) == offsets(definition)
    assert [s.ends_on - s.starts_on for s in moved.stages] == [s.ends_on - s.starts_on for s in definition.stages]


_cache = {}


def _pemilu():
    if "pemilu" not in _cache:
        _cache["pemilu"] = preset_definition("pemilu-2024")
    return _cache["pemilu"]


def test_parse_refuses_a_document_that_is_not_an_object():
    with pytest.raises(DefinitionRejected) as rejected:
        parse([1, 2], VOCABULARY)
    assert rejected.value.errors == ["dokumen: harus berupa objek {...}."]
    document = copy.deepcopy(example())
    document["tahapan"] = {"kode": "x"}
    with pytest.raises(DefinitionRejected) as rejected:
        parse(document, VOCABULARY)
    assert "tahapan: harus berupa daftar [...]." in rejected.value.errors
