import json

from django.core.management.base import BaseCommand

from sinergi.audit.services import seal_pending
from sinergi.audit.verification import anchor


class Command(BaseCommand):
    help = (
        "Print (or write to --output) a sealed summary of every audit chain partition's head — date, and per partition the last event, "
        "length and head hash; key id, HMAC — to keep outside the database; `sinergi verify-audit --anchor FILE` checks the chain still reaches them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="write the summary to this file instead of printing it")

    def handle(self, *args, output=None, **options):
        seal_pending()
        text = json.dumps(anchor(), indent=1) + "\n"
        if output:
            with open(output, "w") as file:
                file.write(text)
            self.stdout.write(f"Anchor written to {output}.")
        else:
            self.stdout.write(text, ending="")
