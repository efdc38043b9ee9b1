"""The Klungkung guard plan from the demo, its command, and who may see or change it."""

import csv
import io
from contextlib import redirect_stdout

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from sinergi.accounts.models import Agency
from sinergi.guard.models import FormationRule
from sinergi.guard.queries import plan_for
from sinergi.guard.services import set_personnel
from tests import personas


def plan_rows(stderr=None) -> list[dict]:
    out = io.StringIO()
    with redirect_stdout(out):
        call_command("guard_plan", "--election", "pemilu-2024", stderr=stderr or io.StringIO())
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.django_db
def test_every_one_of_the_649_tps_is_in_exactly_one_post_with_the_formation_numbers():
    rows = plan_rows()
    assert len(rows) == 649
    assert len({(r["kode_desa"], r["nomor_tps"]) for r in rows}) == 649
    assert all(r["pos"] for r in rows)
    rules = {r.level: r for r in FormationRule.objects.filter(formation__election__slug="pemilu-2024")}
    posts: dict[str, list[dict]] = {}
    for row in rows:
        posts.setdefault(row["pos"], []).append(row)
    for members in posts.values():
        level = {m["kelas"] for m in members}
        assert len(level) == 1
        rule = rules[level.pop()]
        assert len(members) <= rule.stations
        assert {(int(m["polisi_pos"]), int(m["linmas_pos"])) for m in members} == {(rule.police, rule.linmas)}
    sangat = [r for r in rows if r["kelas"] == "sangat_rawan"]
    assert len(sangat) == 4 and {r["linmas_pos"] for r in sangat} == {"2"}  # 2 police + 2 Linmas per TPS


@pytest.mark.django_db
def test_the_totals_show_the_nusa_penida_shortage():
    err = io.StringIO()
    plan_rows(stderr=err)
    lines = err.getvalue().splitlines()
    assert any(line.startswith("Nusa Penida:") and "KURANG" in line for line in lines)
    assert not any(line.startswith("Klungkung:") and "KURANG" in line for line in lines)


@pytest.mark.django_db
def test_police_and_bawaslu_see_the_plan_kpu_does_not(user_of, pemilu):
    assert len(plan_for(user_of(personas.POLSEK_NUSA_PENIDA), pemilu).stations) == 198
    assert len(plan_for(user_of(personas.BAWASLU), pemilu).plan.posts) > 0
    for username in (personas.KPU, personas.PTPS_PED, personas.JAKSA):
        with pytest.raises(PermissionDenied):
            plan_for(user_of(username), pemilu)


@pytest.mark.django_db
def test_only_the_polres_sets_personnel(user_of, pemilu):
    polsek = Agency.objects.get(slug="polsek-dawan")
    for username in (personas.BAWASLU, personas.POLSEK_NUSA_PENIDA, personas.KPU):
        with pytest.raises(PermissionDenied):
            set_personnel(actor=user_of(username), election=pemilu, polsek=polsek, available=1)
    set_personnel(actor=user_of(personas.POLRES), election=pemilu, polsek=polsek, available=1)
    dawan = next(d for d in plan_for(user_of(personas.POLRES), pemilu).plan.kecamatans if d.kecamatan_code == "51.05.04")
    assert dawan.available_police == 1 and dawan.shortage == dawan.police - 1


@pytest.mark.django_db
def test_the_landmass_of_a_tps(pemilu):
    from sinergi.guard.queries import island_of
    from sinergi.stations.models import Station

    def station(access, crossing, village="51.05.01.2010"):
        return Station(election=pemilu, village_id=village, number=1, voters=1, access=access, crossing=crossing)

    assert island_of(station("darat", "")) == "daratan"
    assert island_of(station("darat", "Padangbai - Sampalan")) == "daratan"  # a crossing on a land TPS is ignored
    assert island_of(station("laut", "Padangbai - Sampalan")) == island_of(station("laut", "Padangbai - Sampalan", "51.05.01.2001"))
    # A sea TPS with no crossing recorded never shares a post with another village's, nor with the mainland.
    alone = island_of(station("laut", ""))
    assert alone not in {"daratan", island_of(station("laut", "", "51.05.01.2001")), island_of(station("laut", "Padangbai - Sampalan"))}


@pytest.mark.django_db
def test_no_post_mixes_the_island_and_the_mainland_in_the_demo(user_of, pemilu):
    guard = plan_for(user_of(personas.POLRES), pemilu)
    for post in guard.plan.posts:
        assert len({guard.stations[sid].access for sid in post.station_ids}) == 1
        assert len({guard.stations[sid].crossing for sid in post.station_ids}) == 1


@pytest.mark.django_db
def test_linmas_and_police_totals_add_up_per_kecamatan(user_of, pemilu):
    guard = plan_for(user_of(personas.POLRES), pemilu)
    for total in guard.plan.kecamatans:
        posts = [p for p in guard.plan.posts if p.kecamatan_code == total.kecamatan_code]
        assert total.linmas == sum(p.linmas for p in posts) > 0
        assert total.police == sum(p.police for p in posts)
        assert total.stations == sum(len(p.station_ids) for p in posts)
    assert sum(t.linmas for t in guard.plan.kecamatans) == guard.plan.linmas


@pytest.mark.django_db
def test_a_formation_must_set_all_four_classes(user_of, pemilu):
    from django.core.exceptions import ValidationError

    from sinergi.guard.services import set_formation

    polres = Agency.objects.get(kind=Agency.Kind.POLRES)
    with pytest.raises(ValidationError, match="Belum ada: khusus"):
        set_formation(
            actor=user_of(personas.POLRES),
            election=pemilu,
            polres=polres,
            name="x",
            source="x",
            rules={"kurang_rawan": (2, 4, 12), "rawan": (2, 2, 4), "sangat_rawan": (2, 1, 2)},
        )
    assert len(plan_rows()) == 649  # the formation in place still covers every TPS


@pytest.fixture
def polresta_denpasar(pemilu):
    """A second Polres in the deployment, with its own formation."""
    from sinergi.guard.services import set_formation
    from sinergi.regions.models import Region

    denpasar = Region.objects.create(code="51.71", name="Denpasar", kind=Region.Kind.KOTA, parent_id="51", level=2)
    polresta = Agency.objects.create(slug="polresta-denpasar", name="Polresta Denpasar", kind=Agency.Kind.POLRES, region=denpasar)
    rules = {"kurang_rawan": (2, 4, 12), "rawan": (2, 2, 4), "sangat_rawan": (2, 1, 2), "khusus": (2, 1, 2)}
    set_formation(actor=None, election=pemilu, polres=polresta, name="Formasi Denpasar", source="uji", rules=rules)
    return polresta


@pytest.mark.django_db
def test_the_plan_pdf_of_a_polsek_names_its_polres(user_of, pemilu, polresta_denpasar):
    from pypdf import PdfReader

    from sinergi.guard.documents import plan_pdf

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(plan_pdf(user_of(personas.POLSEK_NUSA_PENIDA), pemilu))).pages)
    assert "POLRES KLUNGKUNG" in text.upper() and "Nusa Penida" in text and "Denpasar" not in text


@pytest.mark.django_db
def test_the_plan_page_lists_only_formations_that_concern_the_user(client_of, pemilu, polresta_denpasar):
    for username in (personas.POLRES, personas.POLSEK_NUSA_PENIDA):
        formations = [f.agency.slug for f in client_of(username).get("/pemilihan/pemilu-2024/pengamanan/").context["formations"]]
        assert formations == [Agency.objects.get(kind=Agency.Kind.POLRES, region_id="51.05").slug]


@pytest.mark.django_db
def test_a_national_user_sees_the_plan_one_kabupaten_at_a_time(polresta_denpasar):
    from django.test import Client

    from sinergi.accounts.models import User

    admin = User.objects.create_superuser("nasional", password="x" * 12)
    client = Client()
    client.force_login(admin)
    chooser = client.get("/pemilihan/pemilu-2024/pengamanan/")
    assert 'data-testid="choose-district"' in chooser.text and "Denpasar" in chooser.text
    page = client.get("/pemilihan/pemilu-2024/pengamanan/?kabupaten=51.05")
    assert page.status_code == 200 and len(page.context["guard"].stations) == 649
    assert "kabupaten=51.05&amp;" in page.text or "kabupaten=51.05&" in page.text
    assert client.get("/pemilihan/pemilu-2024/pengamanan/rencana.csv").status_code == 400
    rows = client.get("/pemilihan/pemilu-2024/pengamanan/rencana.csv?kabupaten=51.05").getvalue().decode().splitlines()
    assert len(rows) == 650
    assert client.get("/pemilihan/pemilu-2024/pengamanan/peta.json").status_code == 400
    assert len(client.get("/pemilihan/pemilu-2024/pengamanan/peta.json?kabupaten=51.05").json()) == 649
    pdf = client.get("/pemilihan/pemilu-2024/pengamanan/rencana.pdf?kecamatan=51.05.01")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
