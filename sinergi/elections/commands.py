"""Pieces shared by the management commands that name an election or act for the deployment."""

from django.core.management.base import CommandError

from sinergi.accounts.models import User
from sinergi.elections.models import Election
from sinergi.regions import codes
from sinergi.regions.models import Region

# The command line speaks for the whole deployment: a superuser's view, never saved.
DEPLOYMENT = User(is_superuser=True, is_active=True)


def election_or_error(slug: str) -> Election:
    election = Election.objects.filter(slug=slug).first()
    if election is None:
        raise CommandError(f"Pemilihan '{slug}' tidak ada. Pilihan: {', '.join(Election.objects.values_list('slug', flat=True))}.")
    return election


def district_or_error(code: str) -> Region:
    """The kabupaten/kota a `--district` option names (its Kemendagri code, e.g. 51.05)."""
    region = Region.objects.filter(code=code, level=codes.DISTRICT).first() if codes.is_valid(code) else None
    if region is None:
        raise CommandError(f"Kabupaten/kota '{code}' tidak dikenal: tulis kode Kemendagri kabupaten/kota, mis. 51.05.")
    return region
