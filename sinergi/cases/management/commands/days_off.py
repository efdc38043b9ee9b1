from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sinergi.cases.models import DayOff
from sinergi.cases.services import add_day_off, remove_day_off
from sinergi.core.commands import date_or_error


class Command(BaseCommand):
    help = "List, add or remove days off beyond the national calendar (a regional holiday, a decree); they stop working-day deadlines (docs/cases.md)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "add", "remove"])
        parser.add_argument("day", nargs="?", help="YYYY-MM-DD (add, remove)")
        parser.add_argument("--reason", default="", help="why, e.g. the decree's number (add)")
        parser.add_argument("--region", default="", help="a region code: the day off holds there and below; none: everywhere")

    def handle(self, *args, action, day, reason, region, **options):
        if action == "list":
            for row in DayOff.objects.select_related("region"):
                self.stdout.write(f"{row.day:%d-%m-%Y}  {row.region.name if row.region else 'seluruh wilayah'}  {row.reason}")
            return
        if not day:
            raise CommandError("Sebutkan tanggalnya (TTTT-BB-HH).")
        try:
            if action == "add":
                add_day_off(actor=None, day=date_or_error(day), reason=reason, region_code=region)
                self.stdout.write(f"{day} dicatat sebagai hari libur tambahan.")
            else:
                remove_day_off(actor=None, day=date_or_error(day), region_code=region)
                self.stdout.write(f"{day} dihapus dari hari libur tambahan.")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
