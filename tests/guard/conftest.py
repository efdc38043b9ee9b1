"""Fixtures of the guard-post tests: the Polres of Klungkung, its plan fixed for voting day, and
the Kapolsek of Nusa Penida and of another kecamatan."""

import pytest

from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_user
from sinergi.guard.models import GuardPost
from sinergi.guard.post_services import fix_plan
from tests import personas


@pytest.fixture
def polres(db):
    return Agency.objects.get(slug="polres-klungkung")


@pytest.fixture
def fixed(pemilu, polres, user_of):
    fix_plan(actor=user_of(personas.POLRES), election=pemilu, polres=polres)
    return list(GuardPost.objects.filter(election=pemilu, retired_at__isnull=True).select_related("polsek", "election").order_by("number"))


@pytest.fixture
def kapolsek(db):
    """The Kapolsek of Nusa Penida: the Polsek's administrator."""
    return ensure_user(
        actor=None,
        username="kapolsek-np",
        agency=Agency.objects.get(slug="polsek-nusa-penida"),
        role=User.Role.ADMIN,
        full_name="Kapolsek",
        password=personas.PASSWORD,
    )


@pytest.fixture
def other_kapolsek(db):
    """The Kapolsek of Klungkung: another kecamatan's Polsek."""
    return ensure_user(
        actor=None,
        username="kapolsek-kl",
        agency=Agency.objects.get(slug="polsek-klungkung"),
        role=User.Role.ADMIN,
        full_name="Kapolsek",
        password=personas.PASSWORD,
    )
