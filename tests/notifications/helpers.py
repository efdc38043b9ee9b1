"""Shared set-up of the notification tests: field accounts tied to PTPS posts."""

from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_user
from sinergi.supervisors.models import Assignment, Supervisor
from tests import personas


def field_account(election, village: str, number: int, username: str, phone: str | None = None) -> User:
    """A PTPS field account for the active PTPS of TPS `number` in `village` (its PKD's)."""
    post = Assignment.objects.get(
        election=election, station__village_id=village, station__number=number, status__in=Assignment.ACTIVE, role=Assignment.Role.PTPS
    )
    pkd = Agency.objects.get(kind=Agency.Kind.PKD, region_id=village)
    user = ensure_user(actor=None, username=username, agency=pkd, role=User.Role.FIELD, full_name=f"PTPS {number}", password=personas.PASSWORD)
    Supervisor.objects.filter(user=user).exclude(pk=post.supervisor_id).update(user=None)
    fields = {"user": user} | ({"phone": phone} if phone is not None else {})
    Supervisor.objects.filter(pk=post.supervisor_id).update(**fields)
    return user
