import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sinergi.cases.deadlines import WEEKDAYS
from sinergi.core.commands import date_or_error
from sinergi.elections.commands import election_or_error
from sinergi.elections.definition import SLUG, DefinitionRejected, ElectionDefinition, offsets, problems, with_options
from sinergi.elections.fileformat import parse, to_document
from sinergi.elections.models import INDONESIAN_ZONES, Election
from sinergi.elections.presets import PRESETS
from sinergi.elections.services import create_election
from sinergi.elections.setup import VOCABULARY, definition_of, preset_definition
from sinergi.logistics.models import KitItem
from sinergi.risk.models import Indicator, Variable
from sinergi.supervisors.models import Question


class Command(BaseCommand):
    help = (
        "Create an election from a preset (its stages moved to the new voting day), a JSON file (docs/elections.md) "
        "or an existing election: rules, stages, ballot types, Form A checklists, indicator catalogue, TPS kit. "
        "No region, agency, TPS or user. All or nothing. --dump prints the JSON instead."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--preset", metavar="PRESET", help=f"one of: {', '.join(PRESETS)}")
        source.add_argument("--file", type=Path, metavar="FILE", help="a JSON election document (docs/elections.md)")
        source.add_argument("--from-election", metavar="SLUG", help="copy an existing election as it stands (its adjusted calendar, checklists, catalogue)")
        parser.add_argument("--slug", help="the new election's code, e.g. pilkada-2029 (with --file or --from-election: replaces theirs)")
        parser.add_argument("--name", help="its name, e.g. 'Pilkada Serentak 2029'")
        parser.add_argument("--voting-day", metavar="YYYY-MM-DD", help="voting day; every stage moves with it, keeping its offset")
        parser.add_argument("--time-zone", metavar="ZONE", help=f"one of: {', '.join(INDONESIAN_ZONES)} (default: the preset's or the file's)")
        parser.add_argument("--dump", action="store_true", help="print the election as a JSON document for --file instead of creating it")

    def handle(self, *args, preset, file, from_election, slug, name, voting_day, time_zone, dump, **options):
        try:
            voting_date = date_or_error(voting_day) if voting_day is not None else None
        except CommandError as error:
            raise CommandError(f"--voting-day: {error}") from None
        if slug is not None and not (SLUG.match(slug) and len(slug) <= 60):
            raise CommandError(f"--slug: '{slug}' tidak sah; pakai huruf kecil, angka dan tanda hubung, paling panjang 60 (misalnya pilkada-2029).")
        if time_zone is not None and time_zone not in INDONESIAN_ZONES:
            zones = ", ".join(f"{zone} ({short})" for zone, short in INDONESIAN_ZONES.items())
            raise CommandError(f"--time-zone: zona waktu '{time_zone}' tidak dikenal; pilih salah satu: {zones}.")
        if preset is not None:
            definition = self._preset(preset, slug=slug, name=name, voting_date=voting_date, dump=dump)
        elif from_election is not None:
            definition = definition_of(election_or_error(from_election))
        else:
            definition = self._file(file)
        definition = with_options(definition, slug=slug, name=name, voting_date=voting_date, time_zone=time_zone)
        if errors := problems(definition, VOCABULARY):
            for message in errors:
                self.stderr.write(message)
            raise CommandError(f"{len(errors)} kesalahan; pemilihan tidak dibuat.")
        if dump:
            self.stdout.write(json.dumps(to_document(definition), ensure_ascii=False, indent=1))
            return
        if Election.objects.filter(slug=definition.slug).exists():
            raise CommandError(f"Pemilihan '{definition.slug}' sudah ada; pilih kode lain dengan --slug. Tidak ada yang diubah.")
        try:
            election = create_election(actor=None, definition=definition)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(f"{len(error.messages)} kesalahan; pemilihan tidak dibuat.") from None
        self._report(election, definition)

    def _preset(self, preset: str, *, slug, name, voting_date, dump) -> ElectionDefinition:
        if preset not in PRESETS:
            raise CommandError(f"--preset: '{preset}' tidak dikenal; pilih salah satu: {', '.join(PRESETS)}.")
        missing = [option for option, value in (("--slug", slug), ("--name", name), ("--voting-day", voting_date)) if value is None]
        if missing and not dump:
            raise CommandError(f"Dengan --preset, isi juga {', '.join(missing)} (kode, nama dan hari pemungutan suara pemilihan baru).")
        return preset_definition(preset)

    def _file(self, file: Path) -> ElectionDefinition:
        if file.suffix.lower() in (".yaml", ".yml"):
            raise CommandError(f"{file}: hanya JSON yang dibaca (docs/elections.md); simpan berkasnya sebagai .json.")
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Berkas {file} tidak dapat dibaca: {error}") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"{file}: bukan JSON yang sah (baris {error.lineno}, kolom {error.colno}: {error.msg}). Tidak ada yang diubah.") from None
        try:
            return parse(document, VOCABULARY)
        except DefinitionRejected as rejected:
            for message in rejected.errors:
                self.stderr.write(f"{file}: {message}")
            raise CommandError(f"{len(rejected.errors)} kesalahan; pemilihan tidak dibuat.") from None

    def _report(self, election: Election, definition: ElectionDefinition) -> None:
        day = f"{WEEKDAYS[election.voting_date.weekday()]}, {election.voting_date:%d-%m-%Y}"
        self.stdout.write(f"Pemilihan '{election.slug}' dibuat: {election.name}, hari pemungutan suara {day}, zona waktu {election.time_zone_label}.")
        self.stdout.write(f"Aturan: pemilih maksimal per TPS {election.max_voters_per_station}, cadangan surat suara {election.ballot_reserve_percent}%.")
        self.stdout.write("Tahapan (tanggal setempat; H = hari pemungutan suara):")
        days = offsets(definition)
        for stage in election.stages.order_by("order"):
            start, end = days[stage.code]
            span = f"{stage.starts_on:%d-%m-%Y} s.d. {stage.ends_on:%d-%m-%Y}"
            relative = _h(start) if start == end else f"{_h(start)} s.d. {_h(end)}"
            self.stdout.write(f"  {stage.code:<22} {span}  ({relative})  {stage.name}")
        counts = (
            f"{election.ballot_types.count()} jenis surat suara",
            f"{Question.objects.filter(election=election).count()} pertanyaan Form A",
            f"{Variable.objects.filter(election=election).count()} variabel dan {Indicator.objects.filter(election=election).count()} indikator kerawanan",
            f"{KitItem.objects.filter(election=election).count()} barang perlengkapan TPS",
        )
        self.stdout.write(", ".join(counts) + ".")
        self.stdout.write(
            "Wilayah, lembaga, TPS dan pengguna belum ada untuk pemilihan ini: muat dengan load-regions dan import-stations (docs/operations.md)."
        )


def _h(days: int) -> str:
    """An offset from voting day as Indonesians write it: H-3, H, H+1."""
    return "H" if days == 0 else f"H{days:+d}"
