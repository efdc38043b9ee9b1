from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sinergi.elections.commands import election_or_error
from sinergi.risk.queries import rules_for
from sinergi.risk.services import set_rules


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


class Command(BaseCommand):
    help = "Show or change an election's vulnerability rules: the release's frequency groups and the police class suggestion."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True)
        parser.add_argument("--top", type=int, dest="top_group_size", help="ranks in 'paling banyak terjadi'")
        parser.add_argument("--middle", type=int, dest="middle_group_size", help="ranks in 'banyak terjadi'")
        parser.add_argument("--severe", type=_codes, dest="severe_codes", help="severe indicator codes, comma-separated (e.g. 2.1,2.2)")
        parser.add_argument("--special", type=_codes, dest="special_codes", help="special-location indicator codes, comma-separated")
        parser.add_argument("--rawan-min", type=int, dest="rawan_min_variables", help="variables present for 'rawan'")
        parser.add_argument(
            "--sangat-rawan-min", type=int, dest="sangat_rawan_min_variables", help="variables present (with a severe indicator) for 'sangat rawan'"
        )

    def handle(self, *args, election, **options):
        target = election_or_error(election)
        fields = ("top_group_size", "middle_group_size", "severe_codes", "special_codes", "rawan_min_variables", "sangat_rawan_min_variables")
        values = {field: options[field] for field in fields if options.get(field) is not None}
        if values:
            try:
                set_rules(actor=None, election=target, **values)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        rules = rules_for(target)
        for field in fields:
            value = getattr(rules, field)
            self.stdout.write(f"{field}: {', '.join(value) if isinstance(value, list) else value}")
