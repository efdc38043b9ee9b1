"""Pieces shared by the management commands (those that know elections and accounts:
elections/commands.py)."""

from datetime import date

from django.core.management.base import CommandError

from sinergi.core.tabular import InputRejected


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
