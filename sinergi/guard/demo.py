"""Demo formation and personnel for Polres Klungkung, Pemilu 2024.

The personnel figures are invented (not published) and set so that the plan shows what the tool
is for: Polsek Nusa Penida cannot cover its posts without reinforcements.
"""

from sinergi.accounts.models import Agency
from sinergi.elections.models import Election
from sinergi.guard.services import install_formation_preset, set_personnel

# Polsek slug -> (available police, reinforcements)
PERSONNEL = {
    "polsek-nusa-penida": (110, 20),
    "polsek-banjarangkan": (90, 0),
    "polsek-klungkung": (120, 0),
    "polsek-dawan": (80, 0),
}


def seed(election: Election) -> None:
    if election.slug != "pemilu-2024":
        return
    polres = Agency.objects.get(slug="polres-klungkung")
    install_formation_preset(actor=None, election=election, polres=polres, preset="polres-klungkung-pemilu-2024")
    for slug, (available, reinforcements) in PERSONNEL.items():
        set_personnel(actor=None, election=election, polsek=Agency.objects.get(slug=slug), available=available, reinforcements=reinforcements)
