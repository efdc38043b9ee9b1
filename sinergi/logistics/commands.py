"""Pieces shared by the logistics management commands (logistics-plan, network,
import-travel-times): which district's network a command acts on."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from sinergi.elections.models import Election
from sinergi.logistics.districts import network_district
from sinergi.regions.models import Region

DISTRICT_HELP = "kode Kemendagri kabupaten/kota yang jaringannya dimaksud, mis. 51.05 (wajib bila pemilihan mencakup beberapa kabupaten/kota)"


def command_district(election: Election, code: str | None) -> Region:
    """`--district CODE` of a logistics command: `network_district`, refusals as CommandError."""
    try:
        return network_district(election, code)
    except ValidationError as error:
        raise CommandError(error.messages[0]) from None
