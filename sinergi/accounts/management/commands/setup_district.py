from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sinergi.accounts.districts import district_or_error, setup_district
from sinergi.accounts.models import Agency
from sinergi.elections.commands import election_or_error
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.stations.queries import tps_per_village


def _covers(values: list[str]) -> dict[str, str]:
    pairs = {}
    for value in values:
        covered, sep, seat = value.partition("=")
        if not sep or not covered.strip() or not seat.strip():
            raise CommandError(f"--polsek-covers {value}: tulis KECAMATAN=KECAMATAN_POLSEK, misalnya 51.05.03=51.05.02.")
        if covered.strip() in pairs:
            raise CommandError(f"--polsek-covers: kecamatan {covered.strip()} disebut dua kali.")
        pairs[covered.strip()] = seat.strip()
    return pairs


class Command(BaseCommand):
    help = (
        "Create a kabupaten/kota's agencies from its loaded regions: Bawaslu, Panwaslu Kecamatan and PKD; Polres and Polsek; "
        "KPU, PPK and PPS; Kejaksaan Negeri; Pemda. Idempotent: prints what it created."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="the kabupaten/kota's Kemendagri code, e.g. 51.05")
        parser.add_argument("--election", help="first check that the district has TPS in this election, and report them per kecamatan")
        parser.add_argument(
            "--polsek-covers",
            action="append",
            default=[],
            metavar="KECAMATAN=KECAMATAN_POLSEK",
            help="the first kecamatan has no Polsek of its own: the Polsek of the second guards it (repeat for each), e.g. 51.05.03=51.05.02",
        )

    def handle(self, *args, code, election, polsek_covers, **options):
        try:
            district = district_or_error(code)
            if election:
                self._check_stations(district, election_or_error(election))
            result = setup_district(actor=None, district_code=code, polsek_covers=_covers(polsek_covers))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        place = f"{district.get_kind_display()} {district.name}"
        if not result.created and not result.coverage:
            self.stdout.write(f"{place}: tidak ada yang dibuat; {result.existing} lembaga sudah ada.")
            return
        labels = dict(Agency.Kind.choices)
        counts = ", ".join(f"{n} {labels[kind]}" for kind, n in result.created_by_kind().items())
        self.stdout.write(f"{place}: {len(result.created)} lembaga dibuat ({counts}); {result.existing} sudah ada." if result.created else f"{place}: tidak ada lembaga baru; {result.existing} sudah ada.")
        for agency in result.created:
            self.stdout.write(f"  + {agency.slug:<32} {agency.name}")
        for line in result.coverage:
            self.stdout.write(f"  Polsek: {line}")

    def _check_stations(self, district: Region, election) -> None:
        """Refuse a district without TPS in the election (nothing created); else print them per kecamatan."""
        per_village = tps_per_village(election, district.code)
        place = f"{district.get_kind_display()} {district.name}"
        if not per_village:
            raise CommandError(f"{election.name} belum punya TPS di {place}: impor TPS lebih dulu (sinergi import-stations), atau jalankan tanpa --election. Tidak ada yang dibuat.")
        villages = Region.objects.filter(parent__parent=district, level=codes.VILLAGE).select_related("parent").order_by("code")
        per_kecamatan: dict[str, list[int]] = {}
        without = []
        for village in villages:
            entry = per_kecamatan.setdefault(village.parent.name, [0, 0])
            entry[0] += per_village.get(village.code, 0)
            entry[1] += village.code in per_village
            if village.code not in per_village:
                without.append(village)
        self.stdout.write(f"{election.name}: {sum(per_village.values())} TPS di {place}.")
        for name, (stations, with_tps) in per_kecamatan.items():
            self.stdout.write(f"  Kecamatan {name}: {stations} TPS di {with_tps} desa/kelurahan")
        if without:
            self.stderr.write(f"Peringatan: {len(without)} desa/kelurahan tanpa TPS: {', '.join(f'{v.name} ({v.code})' for v in without)}.")
