import json
import sys
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sinergi.elections.commands import election_or_error
from sinergi.logistics import distribution
from sinergi.logistics.commands import DISTRICT_HELP, command_district
from sinergi.logistics.models import Crossing
from sinergi.logistics.plans import compute, make_plan
from sinergi.logistics.stored_plan import Delivery, changes_between, read_plan, stored_time
from sinergi.stations.models import Station


def _local(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Waktu '{text}' tidak dikenal: tulis seperti 2024-02-11T06:00 (waktu setempat).") from error


def _delivered(delivery: Delivery | None) -> list | None:
    """A TPS's delivery in the output's `changes`: [convoy id, arrival] (None when not delivered)."""
    return [delivery.convoy.id, stored_time(delivery.stop.arrive)] if delivery else None


class Command(BaseCommand):
    help = "The escorted distribution plan of a district's logistics: convoys per day, their stops, crossings and escorts."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True)
        parser.add_argument("--district", "--kabupaten", dest="district", help=DISTRICT_HELP)
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--output", type=Path)
        parser.add_argument("--close-crossing", metavar="NAME", help="plan as if this crossing were closed (with --from and --to)")
        parser.add_argument("--from", dest="closed_from", metavar="WAKTU", help="start of the closure, local time, e.g. 2024-02-11T00:00")
        parser.add_argument("--to", dest="closed_to", metavar="WAKTU", help="end of the closure, local time")
        parser.add_argument("--save", action="store_true", help="store the plan (the page shows it, and what changed from the previous one)")
        parser.add_argument("--iterations", type=int, help="solver iterations per routing problem (default: the ROUTING_ITERATIONS setting, 3000)")

    def handle(self, *args, election, district, output, close_crossing, closed_from, closed_to, save, iterations, **options):
        target = election_or_error(election)
        region = command_district(target, district)

        def progress(message: str) -> None:
            self.stderr.write(message)

        if save:
            if close_crossing:
                raise CommandError("--save menyimpan rencana dari penutupan yang tercatat; tutup penyeberangan di halaman distribusi.")
            try:
                data = make_plan(actor=None, election=target, district=region, iterations=iterations, progress=progress).data
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        else:
            closures = None
            if close_crossing:
                if not Crossing.objects.filter(election=target, district=region, name=close_crossing).exists():
                    names = ", ".join(Crossing.objects.filter(election=target, district=region).values_list("name", flat=True))
                    raise CommandError(f"Penyeberangan '{close_crossing}' tidak ada. Yang ada: {names}.")
                if not (closed_from and closed_to):
                    raise CommandError("--close-crossing memerlukan --from dan --to.")
                closures = [distribution.Closure(close_crossing, _local(closed_from), _local(closed_to))]
            stations = Station.objects.filter(election=target)
            data = compute(target, region, stations, closures=closures, iterations=iterations, progress=progress)
            if closures:
                before = read_plan(compute(target, region, stations, closures=[], iterations=iterations), data["time_zone"])
                moved = changes_between(before, read_plan(data, data["time_zone"]))
                data["changes"] = [{"station_id": m.station_id, "before": _delivered(m.before), "after": _delivered(m.after)} for m in moved]
        text = json.dumps(data, ensure_ascii=False, indent=1)
        if output is None:
            self.stdout.write(text)
        else:
            output.write_text(text, encoding="utf-8")
        plan = read_plan(data, data["time_zone"])
        for note in plan.notes:
            # e.g. TPS recording a crossing the network does not have: why they go unserved.
            self.stderr.write(f"Catatan — {note}")
        served = plan.stations - sum(1 for e in plan.late if e.planned is None)
        self.stderr.write(f"{len(plan.convoys)} konvoi; {served} dari {plan.stations} TPS terlayani; {len(plan.late)} terlambat.")
        for entry in plan.late:
            when = f"tiba {stored_time(entry.planned)}, terlambat {entry.late_minutes} menit" if entry.planned else "tidak terlayani sebelum hari pemungutan suara"
            reason = f" — {entry.reason}" if entry.reason else ""
            self.stderr.write(f"  TERLAMBAT {entry.label}: {when}{reason}")
        if plan.violations:
            self.stderr.write("\n".join(plan.violations))
            sys.exit(2)
