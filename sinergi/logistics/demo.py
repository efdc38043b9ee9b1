"""Demo logistics for Klungkung: the standard kit of each election, and the district's reserves
for Pemilu 2024 (1,000 re-vote ballots of each type, DOMAIN.md §6, as if Klungkung were one
electoral district)."""

from sinergi.elections.models import Election
from sinergi.logistics.models import KitItem
from sinergi.logistics.services import install_kit, set_reserve
from sinergi.regions.models import Region

KLUNGKUNG = "51.05"
REVOTE_BALLOTS = 1_000


def seed(election: Election) -> None:
    install_kit(actor=None, election=election)
    if election.slug != "pemilu-2024":
        return
    district = Region.objects.get(code=KLUNGKUNG)
    for code in KitItem.objects.filter(election=election, basis=KitItem.Basis.VOTERS).values_list("code", flat=True):
        set_reserve(actor=None, election=election, region=district, item_code=code, quantity=REVOTE_BALLOTS)
