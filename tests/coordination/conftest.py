
import pytest

from sinergi.coordination.models import Meeting
from sinergi.coordination.services import record_meeting
from tests import personas
from tests.coordination.data import meeting_data


@pytest.fixture
def meeting(pemilu, user_of) -> Meeting:
    """A coordination meeting of 16 Jan 2024 recorded by Bawaslu: an escort by the Polres due
    13 Feb (decision 1) and the PTPS inauguration by Bawaslu due 22 Jan."""
    return record_meeting(actor=user_of(personas.BAWASLU), election=pemilu, **meeting_data())
