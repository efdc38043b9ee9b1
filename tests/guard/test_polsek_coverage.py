"""One Polsek covering several kecamatan: the Polres administrator's page, and the guard plan that
attributes the covered kecamatan's TPS to the covering Polsek."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergi.accounts.models import Agency, PolsekCoverage, User
from sinergi.accounts.services import ensure_user, set_polsek_coverage
from sinergi.audit.models import AuditEvent
from sinergi.guard.queries import plan_for
from sinergi.regions.models import Region
from tests import personas

PAGE = "/pemilihan/pemilu-2024/pengamanan/wilayah-polsek/"
BANJARANGKAN, KLUNGKUNG, DAWAN = "51.05.02", "51.05.03", "51.05.04"


@pytest.fixture
def kapolres(db) -> User:
    """A Polres Klungkung administrator (the demo's Polres persona is operations staff)."""
    polres = Agency.objects.get(slug="polres-klungkung")
    return ensure_user(actor=None, username="kapolres", agency=polres, role=User.Role.ADMIN, full_name="Kapolres Klungkung", password="x" * 12)


def polsek(code: str) -> Agency:
    return Agency.objects.get(kind=Agency.Kind.POLSEK, region_id=code)


def test_the_polres_administrator_hands_a_kecamatan_to_another_polsek(kapolres, client_of):
    page = client_of("kapolres").get(PAGE)
    assert page.status_code == 200
    assert [row.kecamatan.code for row in page.context["areas"]] == ["51.05.01", BANJARANGKAN, KLUNGKUNG, DAWAN]

    response = client_of("kapolres").post(PAGE, {"kecamatan": KLUNGKUNG, "polsek": polsek(BANJARANGKAN).slug})

    assert response.status_code == 302
    assert PolsekCoverage.objects.get(kecamatan_id=KLUNGKUNG).polsek == polsek(BANJARANGKAN)
    event = AuditEvent.objects.get(action="polsek_coverage.save")
    assert (event.actor_username, event.region, event.changes) == ("kapolres", KLUNGKUNG, {"polsek": [None, "Polsek Banjarangkan"]})
    row = next(r for r in client_of("kapolres").get(PAGE).context["areas"] if r.kecamatan.code == KLUNGKUNG)
    assert (row.own, row.guard) == (polsek(KLUNGKUNG), polsek(BANJARANGKAN))

    # Its own Polsek takes it back: the row goes, audited too.
    client_of("kapolres").post(PAGE, {"kecamatan": KLUNGKUNG, "polsek": polsek(KLUNGKUNG).slug})
    assert not PolsekCoverage.objects.exists()
    assert AuditEvent.objects.filter(action="polsek_coverage.save").count() == 2


@pytest.mark.parametrize("username", [personas.POLSEK_NUSA_PENIDA, personas.POLRES, personas.BAWASLU, personas.KPU, personas.PANWASCAM_NUSA_PENIDA])
def test_no_one_else_opens_or_posts_the_page(username, client_of):
    """A Polsek (of another kecamatan or not), the Polres's operations staff and other agencies are refused."""
    client = client_of(username)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"kecamatan": KLUNGKUNG, "polsek": "polsek-nusa-penida"}).status_code == 403
    assert not PolsekCoverage.objects.exists()


def test_the_guard_plan_link_shows_only_to_those_who_may(kapolres, client_of):
    assert 'data-testid="polsek-areas-link"' in client_of("kapolres").get("/pemilihan/pemilu-2024/pengamanan/").text
    assert 'data-testid="polsek-areas-link"' not in client_of(personas.POLRES).get("/pemilihan/pemilu-2024/pengamanan/").text


def test_the_polres_of_another_district_cannot_touch_klungkung(db, client_of):
    denpasar = Region.objects.create(code="51.71", name="Denpasar", kind=Region.Kind.KOTA, parent_id="51", level=2)
    polresta = Agency.objects.create(slug="polresta-denpasar", name="Polresta Denpasar", kind=Agency.Kind.POLRES, region=denpasar)
    other = ensure_user(actor=None, username="kapolresta", agency=polresta, role=User.Role.ADMIN, full_name="Kapolresta", password="x" * 12)
    with pytest.raises(PermissionDenied):
        set_polsek_coverage(actor=other, kecamatan_code=KLUNGKUNG, polsek=polsek(BANJARANGKAN))
    page = client_of("kapolresta").get(PAGE)
    assert page.status_code == 200 and page.context["areas"] == []
    assert client_of("kapolresta").post(PAGE, {"kecamatan": KLUNGKUNG, "polsek": polsek(BANJARANGKAN).slug}).status_code == 200
    assert not PolsekCoverage.objects.exists()


def test_no_chain_of_coverage(kapolres):
    set_polsek_coverage(actor=kapolres, kecamatan_code=KLUNGKUNG, polsek=polsek(BANJARANGKAN))
    with pytest.raises(ValidationError, match="Kecamatan Klungkung sendiri dijaga Polsek Banjarangkan"):
        set_polsek_coverage(actor=kapolres, kecamatan_code=DAWAN, polsek=polsek(KLUNGKUNG))
    with pytest.raises(ValidationError, match="masih menjaga Kecamatan Klungkung"):
        set_polsek_coverage(actor=kapolres, kecamatan_code=BANJARANGKAN, polsek=polsek(DAWAN))
    with pytest.raises(ValidationError, match="bukan kecamatan"):
        set_polsek_coverage(actor=kapolres, kecamatan_code="51.05.01.2010", polsek=polsek(DAWAN))
    assert list(PolsekCoverage.objects.values_list("kecamatan_id", flat=True)) == [KLUNGKUNG]
    assert set_polsek_coverage(actor=kapolres, kecamatan_code=KLUNGKUNG, polsek=polsek(BANJARANGKAN)) is False  # unchanged: no event
    assert AuditEvent.objects.filter(action="polsek_coverage.save").count() == 1


def test_the_guard_plan_gives_a_covered_kecamatans_tps_to_the_covering_polsek(kapolres, user_of, pemilu):
    polres = user_of(personas.POLRES)
    before = {t.kecamatan_code: t for t in plan_for(polres, pemilu).plan.kecamatans}
    set_polsek_coverage(actor=kapolres, kecamatan_code=KLUNGKUNG, polsek=polsek(BANJARANGKAN))

    guard = plan_for(polres, pemilu)
    after = {t.kecamatan_code: t for t in guard.plan.kecamatans}

    assert set(after) == {"51.05.01", BANJARANGKAN, DAWAN}
    assert after[BANJARANGKAN].stations == before[BANJARANGKAN].stations + before[KLUNGKUNG].stations
    assert after[BANJARANGKAN].available_police == before[BANJARANGKAN].available_police  # Polsek Banjarangkan's own personnel
    assert after[BANJARANGKAN].shortage == max(0, after[BANJARANGKAN].police - after[BANJARANGKAN].available_police)
    assert guard.kecamatan_names[BANJARANGKAN] == "Banjarangkan + Klungkung"
    klungkung_tps = {sid for sid, s in guard.stations.items() if s.village.parent_id == KLUNGKUNG}
    assert klungkung_tps and all(post.kecamatan_code == BANJARANGKAN for post in guard.plan.posts if set(post.station_ids) & klungkung_tps)
    assert sorted(sid for post in guard.plan.posts for sid in post.station_ids) == sorted(guard.stations)  # every TPS once


def test_the_plan_page_totals_name_the_polseks_areas(kapolres, client_of, pemilu):
    set_polsek_coverage(actor=kapolres, kecamatan_code=KLUNGKUNG, polsek=polsek(BANJARANGKAN))
    totals = client_of(personas.POLRES).get("/pemilihan/pemilu-2024/pengamanan/").context["totals"]
    assert [name for _total, name in totals] == ["Nusa Penida", "Banjarangkan + Klungkung", "Dawan"]


def test_the_plan_pdf_prints_the_covered_kecamatan_under_the_covering_polseks_letterhead(kapolres, user_of, pemilu):
    import io

    from pypdf import PdfReader

    from sinergi.guard.documents import plan_pdf

    set_polsek_coverage(actor=kapolres, kecamatan_code=KLUNGKUNG, polsek=polsek(BANJARANGKAN))
    pdf = plan_pdf(user_of(personas.POLRES), pemilu, BANJARANGKAN)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "KEPOLISIAN SEKTOR BANJARANGKAN" in text and "Banjarangkan + Klungkung" in text
    assert "Semarapura Kaja" in text  # a kelurahan of Kecamatan Klungkung: its TPS are in Banjarangkan's posts
    assert "KEPOLISIAN SEKTOR KLUNGKUNG" not in text


def test_a_superuser_picks_the_kabupaten_first(db, client_of):
    Region.objects.create(code="51.71", name="Denpasar", kind=Region.Kind.KOTA, parent_id="51", level=2)
    User.objects.create_superuser("nasional", password="x" * 12)
    chooser = client_of("nasional").get(PAGE)
    assert chooser.status_code == 200 and chooser.context["areas"] == [] and 'data-testid="choose-district"' in chooser.text
    page = client_of("nasional").get(PAGE + "?kabupaten=51.05")
    assert len(page.context["areas"]) == 4
    response = client_of("nasional").post(PAGE + "?kabupaten=51.05", {"kecamatan": DAWAN, "polsek": polsek(BANJARANGKAN).slug})
    assert response.status_code == 302 and response["Location"].endswith("?kabupaten=51.05")
    assert PolsekCoverage.objects.get(kecamatan_id=DAWAN).polsek == polsek(BANJARANGKAN)


def test_the_page_says_why_a_handover_is_refused(kapolres, client_of):
    set_polsek_coverage(actor=kapolres, kecamatan_code=KLUNGKUNG, polsek=polsek(BANJARANGKAN))
    page = client_of("kapolres").post(PAGE, {"kecamatan": DAWAN, "polsek": polsek(KLUNGKUNG).slug})
    assert page.status_code == 200 and "Kecamatan Klungkung sendiri dijaga Polsek Banjarangkan" in page.text
    assert list(PolsekCoverage.objects.values_list("kecamatan_id", flat=True)) == [KLUNGKUNG]
