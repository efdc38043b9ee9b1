"""Pieces shared by the management commands."""

from datetime import date

from django.core.management.base import CommandError

from sinergi.accounts.models import User
from sinergi.core.tabular import InputRejected
from sinergi.elections.models import Election

# The command line speaks for the whole deployment: a superuser's view, never saved.
DEPLOYMENT = User(is_superuser=True, is_active=True)


def election_or_error(slug: str) -> Election:
    election = Election.objects.filter(slug=slug).first()
    if election is None:
        raise CommandError(f"Pemilihan '{slug}' tidak ada. Pilihan: {', '.join(Election.objects.values_list('slug', flat=True))}.")
    return election


def date_or_error(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Tanggal '{value}' tidak dikenal: tulis TTTT-BB-HH, misalnya 2024-02-15.") from None


def rejected_error(command, rejected: InputRejected, nothing_saved: str) -> CommandError:
    """Write every row error to standard error; the CommandError to raise says how many."""
    for error in rejected.errors:
        command.stderr.write(str(error))
    return CommandError(f"{len(rejected.errors)} kesalahan; {nothing_saved}")
