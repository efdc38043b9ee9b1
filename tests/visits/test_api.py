"""`GET /api/v1/visits`: the visits of the caller's area, scoped like the pages."""

import pytest

from sinergi.accounts.models import User
from tests import personas
from tests.api.test_api import api_get, token_for


@pytest.mark.django_db
def test_the_api_lists_the_visits_of_the_callers_area(ped_visit):
    for username in (personas.BAWASLU, personas.POLSEK_NUSA_PENIDA, personas.PANWASCAM_NUSA_PENIDA):
        response = api_get("/api/v1/visits", token_for(username), election="pemilu-2024")
        assert response.status_code == 200, username
        (visit,) = response.json()
        assert visit["id"] == ped_visit.pk and visit["kecamatan_code"] == "51.05.01" and visit["out_departure"] == "09:00:00"
        assert [s["order"] for s in visit["stops"]] == [1, 2, 3] and "polsek-nusa-penida" in visit["agencies"]
    User.objects.create_user(username="polsek-dawan-uji", agency=ped_visit.agencies.model.objects.get(slug="polsek-dawan"), role=User.Role.STAFF)
    assert api_get("/api/v1/visits", token_for("polsek-dawan-uji"), election="pemilu-2024").json() == []
    assert api_get("/api/v1/visits", token_for(personas.KPU), election="pemilu-2024").status_code == 403
    assert api_get("/api/v1/visits", token_for(personas.BAWASLU), election="tidak-ada").status_code == 404
