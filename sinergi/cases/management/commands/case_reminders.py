import time

from django.core.management.base import BaseCommand

from sinergi.cases.reminders import send_reminders
from sinergi.cases.workflow import REMINDER_LABEL


class Command(BaseCommand):
    help = (
        "Send the reminders of cases' running deadlines that are due (half time, one day before, overdue). "
        "Run it every few minutes from a timer, or keep it running with --every SECONDS (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="keep running, checking every this many seconds (a background worker)")

    def handle(self, *args, every: int, **options):
        while True:
            for reminder in send_reminders():
                self.stdout.write(f"{reminder.case}: {REMINDER_LABEL[reminder.kind]} ({reminder.rule}), {reminder.recipients} penerima surel")
            if every <= 0:
                return
            time.sleep(every)
