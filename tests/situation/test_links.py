"""Every link the situation room shows an agency opens for that agency (no 403 from one's own room)."""

import re

import pytest

from tests import personas
from tests.situation.conftest import NUSA_PENIDA, at, file_incident, file_report

ROOM = "/pemilihan/{}/situasi/"


@pytest.mark.django_db
@pytest.mark.parametrize("username", [personas.PANWASCAM_NUSA_PENIDA, personas.BAWASLU, personas.POLSEK_NUSA_PENIDA, personas.KPU, personas.JAKSA])
def test_every_link_of_the_room_and_its_timeline_opens(client_of, user_of, pilkada, pilkada_stations, username):
    island = [s for s in pilkada_stations if s.village_id.startswith(NUSA_PENIDA + ".")]
    report = file_report(island[0], "persiapan", at(pilkada, "07:10"))
    file_incident(user_of(personas.BAWASLU), island[1], "sedang", at(pilkada, "07:20"))
    client = client_of(username)
    page = client.get(ROOM.format(pilkada.slug) + f"?pada={pilkada.voting_date}T08:00")
    assert page.status_code == 200
    timeline = page.context["situation"].timeline
    if username in (personas.PANWASCAM_NUSA_PENIDA, personas.BAWASLU):  # those who read reports see it
        assert any(e.url.endswith(f"/laporan/{report.pk}/form-a.pdf") for e in timeline)
    links = {href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"#]*)"', page.text) if not href.startswith("/static/")}
    links |= {e.url for e in timeline if e.url}
    assert links
    for link in sorted(links):
        assert client.get(link, follow=True).status_code == 200, link
