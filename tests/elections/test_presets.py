"""Election presets: dates from docs/domain.md §2 and rules as data."""

from datetime import date
from decimal import Decimal

import pytest

from sinergi.audit.models import AuditEvent
from sinergi.elections.models import Election
from sinergi.elections.services import install_preset
from tests import personas


@pytest.mark.django_db
def test_pemilu_2024_preset(pemilu):
    assert (pemilu.kind, pemilu.voting_date, pemilu.max_voters_per_station, pemilu.ballot_reserve_percent) == ("pemilu", date(2024, 2, 14), 300, Decimal("2.00"))
    stages = {s.code: (s.starts_on, s.ends_on) for s in pemilu.stages.all()}
    assert stages["kampanye"] == (date(2023, 11, 28), date(2024, 2, 10))
    assert stages["masa-tenang"] == (date(2024, 2, 11), date(2024, 2, 13))
    assert stages["pemetaan-tps-rawan"] == (date(2024, 2, 3), date(2024, 2, 8))
    assert stages["pelantikan-ptps"] == (date(2024, 1, 22), date(2024, 1, 22))
    assert stages["rekapitulasi"] == (date(2024, 2, 15), date(2024, 3, 20))
    assert [(b.code, b.colour_name) for b in pemilu.ballot_types.all()] == [
        ("ppwp", "abu-abu"), ("dpr", "kuning"), ("dpd", "merah"), ("dprd-provinsi", "biru"), ("dprd-kabkota", "hijau")
    ]


@pytest.mark.django_db
def test_pilkada_2024_preset(pilkada):
    assert (pilkada.voting_date, pilkada.max_voters_per_station, pilkada.ballot_reserve_percent) == (date(2024, 11, 27), 600, Decimal("2.50"))
    assert [b.code for b in pilkada.ballot_types.all()] == ["gubernur", "bupati"]
    assert {s.code: s.starts_on for s in pilkada.stages.all()}["pemetaan-tps-rawan"] == date(2024, 11, 10)


@pytest.mark.django_db
def test_reinstalling_a_preset_restores_an_edited_rule_and_audits_it(pemilu):
    Election.objects.filter(pk=pemilu.pk).update(max_voters_per_station=500)
    install_preset(actor=None, slug="pemilu-2024")
    pemilu.refresh_from_db()
    assert pemilu.max_voters_per_station == 300
    event = AuditEvent.objects.filter(action="election.update").latest("id")
    assert event.changes == {"max_voters_per_station": [500, 300]}
    events = AuditEvent.objects.count()
    install_preset(actor=None, slug="pemilu-2024")
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_overview_page_shows_stages_and_ballot_colours(client_of):
    response = client_of(personas.PANWASCAM_NUSA_PENIDA).get("/pemilihan/pemilu-2024/")
    assert "Masa tenang" in response.text and "DPRD Kabupaten/Kota (hijau)" in response.text
    assert 'fill="#2e8b3e"' in response.text
    assert "WITA (Asia/Makassar)" in response.text
    assert client_of(personas.PANWASCAM_NUSA_PENIDA).get("/pemilihan/tidak-ada/").status_code == 404
