import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sinergi.elections.commands import election_or_error
from sinergi.logistics.commands import DISTRICT_HELP, command_district
from sinergi.logistics.network import crossings_missing, export_network, load_network


class Command(BaseCommand):
    help = "Show, export or load a district's distribution network (places, crossings, vehicles, rules) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True)
        parser.add_argument("--district", "--kabupaten", dest="district", help=DISTRICT_HELP)
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--load", type=Path, metavar="FILE", help="replace the network with this JSON document (all or nothing)")
        group.add_argument("--export", type=Path, metavar="FILE", help="write the network to this file")

    def handle(self, *args, election, district, load, export, **options):
        target = election_or_error(election)
        region = command_district(target, district)
        if load is not None:
            try:
                document = json.loads(load.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                raise CommandError(f"Berkas {load} tidak dapat dibaca sebagai JSON: {error}") from error
            try:
                counts = load_network(actor=None, election=target, district=region, document=document)
            except ValidationError as error:
                for message in error.messages:
                    self.stderr.write(message)
                raise CommandError(f"{len(error.messages)} kesalahan; jaringan tidak diubah.") from error
            self.stdout.write(", ".join(f"{n} {section}" for section, n in counts.items()) + ".")
            for crossing, stations in crossings_missing(target, region).items():
                self.stderr.write(
                    f"Peringatan — {stations} TPS laut mencatat penyeberangan '{crossing}', yang tidak ada di jaringan: rencana distribusi "
                    "tidak dapat melayaninya. Samakan nama penyeberangan di jaringan dengan kolom 'penyeberangan' TPS."
                )
            return
        text = json.dumps(export_network(target, region), ensure_ascii=False, indent=1)
        if export is not None:
            export.write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
