from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sinergi.cases.deadlines import FORWARDED, KNOWN, RECEIVED, REGISTERED, RULES, compute_all
from sinergi.cases.services import calendar_for
from sinergi.core.commands import date_or_error
from sinergi.elections.commands import election_or_error


class Command(BaseCommand):
    help = "Print each legal deadline that applies to a case of an election, with its computation and legal basis (docs/cases.md)."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True, help="the election's slug, e.g. pemilu-2024")
        parser.add_argument("--known", required=True, help="the day the violation became known (or was found), YYYY-MM-DD")
        parser.add_argument("--received", help="the day the report was received, YYYY-MM-DD")
        parser.add_argument("--registered", help="the day the report or finding was registered, YYYY-MM-DD")
        parser.add_argument("--region", default="", help="the region code of the case: its extra days off count too (sinergi days-off)")
        parser.add_argument("--forwarded", help="the moment Sentra Gakkumdu decided to forward a suspected crime, YYYY-MM-DDTHH:MM local time")

    def handle(self, *args, election, known, received, registered, forwarded, region, **options):
        election = election_or_error(election)
        starts: dict = {KNOWN: date_or_error(known)}
        if received:
            starts[RECEIVED] = date_or_error(received)
        if registered:
            starts[REGISTERED] = date_or_error(registered)
        if forwarded:
            try:
                starts[FORWARDED] = datetime.fromisoformat(forwarded).replace(tzinfo=ZoneInfo(election.time_zone))
            except ValueError:
                raise CommandError(f"Waktu '{forwarded}' tidak dikenal: tulis TTTT-BB-HHTJJ:MM, misalnya 2024-02-15T16:00.") from None
        first = min(start.date() if isinstance(start, datetime) else start for start in starts.values())
        calendar = calendar_for(region, range(first.year, first.year + 2))
        deadlines = compute_all(RULES[election.kind], starts, calendar, first_day_counts=settings.DEADLINE_FIRST_DAY_COUNTS)
        leave = "hari libur" if settings.DEADLINE_COLLECTIVE_LEAVE_IS_DAY_OFF else "hari kerja"
        self.stdout.write(f"{election.name} ({election.get_kind_display()}); cuti bersama dihitung sebagai {leave}.")
        for deadline in deadlines:
            due = f"{deadline.due:%d-%m-%Y %H.%M} {election.time_zone_label}" if isinstance(deadline.due, datetime) else f"{deadline.due:%d-%m-%Y}"
            self.stdout.write(f"\n{deadline.rule.step}: paling lambat {due}")
            self.stdout.write(f"  {deadline.computation()}")
            self.stdout.write(f"  Dasar: {deadline.rule.basis}")
