from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sinergi.accounts.models import Agency
from sinergi.core.commands import rejected_error
from sinergi.core.tabular import InputRejected
from sinergi.elections.commands import election_or_error
from sinergi.guard import formation_file as ff
from sinergi.guard.services import load_formation_file


class Command(BaseCommand):
    help = (
        "Load a Polres's guard formation (police : TPS : Linmas per post, per class) and its Polsek's personnel and BKO "
        "from a .xlsx or .csv file (docs/import-formats.md). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True, help="election slug, e.g. pemilu-2024")
        parser.add_argument("--polres", default="", help="the Polres's slug; needed only when the deployment has more than one")
        parser.add_argument("file", type=Path)

    def handle(self, *args, election, polres, file, **options):
        target = election_or_error(election)
        chosen = _polres_or_error(polres)
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Berkas tidak dapat dibaca: {error}") from None
        try:
            result = load_formation_file(actor=None, election=target, polres=chosen, filename=file.name, content=content)
        except InputRejected as rejected:
            raise rejected_error(self, rejected, "formasi dan personel tidak diubah.") from None
        for warning in result.warnings:
            self.stderr.write(f"Peringatan — {warning}")
        self.stdout.write(f"{chosen.name}, {target.name}")
        if result.rules is not None:
            self.stdout.write("Formasi (polisi : TPS : Linmas per pos):")
            for level in ff.LEVELS:
                police, stations, linmas = result.rules[level]
                self.stdout.write(f"  {ff.LEVEL_NAMES[level]}: {police} : {stations} : {linmas}")
        if result.personnel:
            self.stdout.write("Personel per Polsek (tersedia + BKO):")
            for entry in result.personnel:
                self.stdout.write(f"  {entry.polsek.name}: {entry.available} + {entry.reinforcements}")
        self.stdout.write(result.summary() + ("" if result.changed else " Tidak ada perubahan."))


def _polres_or_error(slug: str) -> Agency:
    polres = Agency.objects.filter(kind=Agency.Kind.POLRES).order_by("slug")
    if slug:
        found = polres.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"Polres '{slug}' tidak ada. Pilihan: {', '.join(polres.values_list('slug', flat=True)) or '(belum ada Polres)'}.")
        return found
    choices = list(polres[:2])
    if len(choices) != 1:
        listed = ", ".join(polres.values_list("slug", flat=True)) or "(belum ada Polres)"
        raise CommandError(f"Sebutkan Polres-nya dengan --polres SLUG. Pilihan: {listed}.")
    return choices[0]
