"""The shared cast, one per agency, created once per test session by `base_data`.

They are the demo personas (sinergi/accounts/demo.py) plus a few the demo does not need.
Every cross-agency read has a test that one of them is refused.
"""

from sinergi.accounts.demo import DEMO_PASSWORD, PERSONAS
from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_user
from sinergi.supervisors.demo import FIELD_ACCOUNT

PASSWORD = DEMO_PASSWORD

# Demo personas, by username:
BAWASLU = "bawaslu"  # Bawaslu Klungkung administrator, whole district
PANWASCAM_NUSA_PENIDA = "panwascam-nusapenida"
POLRES = "polres"  # Polres Klungkung operations
POLSEK_NUSA_PENIDA = "polsek-nusapenida"
KPU = "kpu"  # KPU Klungkung logistics
JAKSA = "jaksa"  # prosecutor in Sentra Gakkumdu
# Every account `sinergi demo` creates (the field app's PTPS included): the production smoke test
# signs in as each, the query-count baseline measures each one's navigation.
DEMO_USERS = [username for username, *_ in PERSONAS] + [FIELD_ACCOUNT]
# Test-only personas:
BAWASLU_STAFF = "bawaslu-staf"  # Bawaslu staff without the administrator role
PTPS_PED = "ptps-ped"  # a polling-station supervisor in Desa Ped
NO_AGENCY = "tanpa-lembaga"  # an account not yet attached to any agency


def create_extra_personas() -> None:
    bawaslu = Agency.objects.get(slug="bawaslu-klungkung")
    ensure_user(actor=None, username=BAWASLU_STAFF, agency=bawaslu, role=User.Role.STAFF, full_name="Staf Bawaslu", password=PASSWORD)
    pkd_ped = Agency.objects.get(kind=Agency.Kind.PKD, region_id="51.05.01.2010")  # the demo's (setup-district)
    ensure_user(actor=None, username=PTPS_PED, agency=pkd_ped, role=User.Role.FIELD, full_name="PTPS TPS 17 Ped", password=PASSWORD)
    if not User.objects.filter(username=NO_AGENCY).exists():
        User.objects.create_user(username=NO_AGENCY, password=PASSWORD)
