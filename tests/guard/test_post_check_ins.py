"""Voting day's guard posts, once fixed: check-ins through the API (once, however often sent), the
plan-versus-actual board and the unstaffed-at-opening alert, the situation room's posts layer."""

import json
import uuid
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from sinergi.accounts.models import Agency, User
from sinergi.audit.models import AuditEvent
from sinergi.elections.models import Election
from sinergi.guard.demo import field_account, seed_voting_day
from sinergi.guard.fixing import match, next_codes, station_key
from sinergi.guard.models import GuardOfficer, GuardPost, PostCheckIn
from sinergi.guard.post_queries import post_board, situation_alerts
from sinergi.guard.post_services import check_in, fix_plan
from tests import personas
from tests.guard.posts import WITA, of, wita

# -- Check-ins through the API -----------------------------------------------------------------


def post_json(client, body):
    return client.post("/api/v1/guard/check-ins", json.dumps(body, default=str), content_type="application/json")


@pytest.mark.django_db
def test_a_check_in_through_the_api_is_stored_once_and_audited(fixed, on):
    on(wita(8))
    post = of(fixed, "polsek-nusa-penida")[0]
    client = Client()
    client.force_login(field_account(post.polsek))
    body = {"client_id": str(uuid.uuid4()), "post_id": post.pk, "at": wita(6, 40).isoformat(), "latitude": -8.72, "longitude": 115.54, "linmas_present": 3}
    first = post_json(client, body)
    assert first.status_code == 201, first.content
    again = post_json(client, body)
    assert again.status_code == 200 and again.json()["created"] is False
    assert PostCheckIn.objects.filter(post=post).count() == 1
    assert AuditEvent.objects.filter(action="guard.check_in.hadir").count() == 1
    conflict = post_json(client, {**body, "linmas_present": 5})
    assert conflict.status_code == 409 and "linmas_present" in conflict.json()["fields"]
    patrol = post_json(client, {"client_id": str(uuid.uuid4()), "post_id": post.pk, "kind": "patroli", "at": wita(7, 30).isoformat()})
    assert patrol.status_code == 400  # a patrol note needs its notes
    listed = client.get("/api/v1/guard/posts?election=pemilu-2024").json()
    assert {p["id"] for p in listed} == {p.pk for p in of(fixed, "polsek-nusa-penida")}


@pytest.mark.django_db
def test_an_officer_cannot_check_in_at_another_polseks_post(fixed, on, user_of):
    on(wita(8))
    theirs = of(fixed, "polsek-klungkung")[0]
    for user in (field_account(Agency.objects.get(slug="polsek-nusa-penida")), user_of(personas.POLSEK_NUSA_PENIDA)):
        client = Client()
        client.force_login(user)
        response = post_json(client, {"client_id": str(uuid.uuid4()), "post_id": theirs.pk, "at": wita(6).isoformat()})
        assert response.status_code == 403 and "bukan pos Anda" in response.json()["detail"]
    for username in (personas.PTPS_PED, personas.BAWASLU, personas.KPU):
        client = Client()
        client.force_login(user_of(username))
        assert post_json(client, {"client_id": str(uuid.uuid4()), "post_id": theirs.pk, "at": wita(6).isoformat()}).status_code == 403
        assert client.get("/api/v1/guard/posts?election=pemilu-2024").status_code == 403
    assert not PostCheckIn.objects.exists()


# -- The board and the alert -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_board_counts_plan_against_actual_and_the_alert_comes_at_opening_time(fixed, user_of, on):
    polsek_user = user_of(personas.POLSEK_NUSA_PENIDA)
    nusa_penida = of(fixed, "polsek-nusa-penida")
    officer = field_account(nusa_penida[0].polsek)
    on(wita(9))
    for post in nusa_penida[:-2]:
        check_in(actor=officer, post=post, client_id=uuid.uuid4(), at=wita(6, 30), linmas_present=post.linmas, police_present=post.police)
    late = nusa_penida[-2]
    check_in(actor=officer, post=late, client_id=uuid.uuid4(), at=wita(7, 20), linmas_present=1)

    board = post_board(polsek_user, fixed[0].election, wita(7))
    assert {row.post.pk for row in board.rows} == {p.pk for p in nusa_penida}  # its own posts only
    (polsek_row,) = board.polseks
    assert (polsek_row.posts, polsek_row.staffed, polsek_row.empty) == (len(nusa_penida), len(nusa_penida) - 2, 2)
    assert polsek_row.police_planned == sum(p.police for p in nusa_penida)
    assert polsek_row.police_present == sum(p.police for p in nusa_penida[:-2])
    assert polsek_row.linmas_present == sum(p.linmas for p in nusa_penida[:-2])
    assert {row.post.pk for row in board.empty_at_opening} == {late.pk, nusa_penida[-1].pk}

    election = fixed[0].election
    assert situation_alerts(polsek_user, election, wita(6, 59)) == []  # before opening
    at_opening = situation_alerts(polsek_user, election, wita(7, 5))
    assert len(at_opening) == 2 and all(a.level == "danger" for a in at_opening)
    assert {late.code, nusa_penida[-1].code} == {a.title.split("(")[1].rstrip(")") for a in at_opening}
    later = situation_alerts(polsek_user, election, wita(7, 30))
    assert [a.title for a in later] == [f"Pos pengamanan belum terisi: Pos {nusa_penida[-1].number} ({nusa_penida[-1].code})"]
    assert situation_alerts(polsek_user, election, datetime(2024, 2, 15, 7, 30, tzinfo=WITA)) == []  # not the day after

    # The Polres sees every Polsek; the other Polsek are all empty, counted in one alert each.
    polres_alerts = situation_alerts(user_of(personas.POLRES), election, wita(7, 30))
    assert len({a.detail.split(" · ")[0] for a in polres_alerts}) == len({p.polsek_id for p in fixed})
    assert any("pos pengamanan belum terisi setelah TPS dibuka" in a.title for a in polres_alerts)
    with pytest.raises(PermissionDenied):
        situation_alerts(user_of(personas.KPU), election, wita(7, 30))


@pytest.mark.django_db
def test_the_board_page_is_scoped_and_time_travels(fixed, client_of, other_kapolsek, user_of, on):
    on(wita(9))
    nusa_penida = of(fixed, "polsek-nusa-penida")
    check_in(actor=field_account(nusa_penida[0].polsek), post=nusa_penida[0], client_id=uuid.uuid4(), at=wita(7, 20))
    page = client_of(personas.POLSEK_NUSA_PENIDA).get("/pemilihan/pemilu-2024/pengamanan/pos/?pukul=07:00").content.decode()
    assert f'data-post="{nusa_penida[0].code}" data-state="kosong"' in page
    assert "unstaffed-at-opening" in page
    page = client_of(personas.POLSEK_NUSA_PENIDA).get("/pemilihan/pemilu-2024/pengamanan/pos/?pukul=07:30").content.decode()
    assert f'data-post="{nusa_penida[0].code}" data-state="terisi"' in page
    assert of(fixed, "polsek-klungkung")[0].code not in page
    client = Client()
    client.force_login(other_kapolsek)
    theirs = client.get("/pemilihan/pemilu-2024/pengamanan/pos/").content.decode()
    assert nusa_penida[0].code not in theirs and of(fixed, "polsek-klungkung")[0].code in theirs
    assert client_of(personas.KPU).get("/pemilihan/pemilu-2024/pengamanan/pos/").status_code == 403


@pytest.mark.django_db
def test_a_polsek_covering_another_kecamatan_sees_and_staffs_its_posts(pemilu, polres, user_of, on, other_kapolsek):
    from sinergi.accounts.services import set_polsek_coverage

    klungkung = Agency.objects.get(slug="polsek-klungkung")
    banjarangkan = Agency.objects.get(slug="polsek-banjarangkan")
    fix_plan(actor=user_of(personas.POLRES), election=pemilu, polres=polres)
    before = set(GuardPost.objects.filter(election=pemilu, polsek=banjarangkan).values_list("code", flat=True))
    assert before
    set_polsek_coverage(actor=None, kecamatan_code=banjarangkan.region_id, polsek=klungkung)
    result = fix_plan(actor=user_of(personas.POLRES), election=pemilu, polres=polres)
    # The same TPS under another Polsek are new posts (and Klungkung's leftovers may regroup with
    # Banjarangkan's); Klungkung's full posts stay.
    assert before <= set(result.retired) and result.kept
    covered = GuardPost.objects.filter(election=pemilu, retired_at__isnull=True, stations__village__parent_id=banjarangkan.region_id).distinct()
    assert covered.exists() and set(covered.values_list("polsek", flat=True)) == {klungkung.pk}
    assert not GuardPost.objects.filter(election=pemilu, retired_at__isnull=True, polsek=banjarangkan).exists()
    assert all(code.startswith(klungkung.region_id + "/") for code in covered.values_list("code", flat=True))
    on(wita(9))
    check_in(actor=field_account(klungkung), post=covered.first(), client_id=uuid.uuid4(), at=wita(6))
    seen = {row.post.pk for row in post_board(other_kapolsek, pemilu, wita(7)).rows}
    assert set(covered.values_list("pk", flat=True)) <= seen


@pytest.mark.django_db
def test_the_demo_day_has_two_empty_posts_at_seven(pemilu):
    made = seed_voting_day(pemilu)
    posts = GuardPost.objects.filter(election=pemilu, retired_at__isnull=True)
    assert made == posts.count() - 2
    assert GuardOfficer.objects.filter(post__in=posts).count() == 2 * posts.count()
    polres_user = User.objects.get(username=personas.POLRES)
    empty = post_board(polres_user, pemilu, wita(7)).empty_at_opening
    assert len(empty) == 2 and {row.post.polsek.slug for row in empty} == {"polsek-nusa-penida"}
    assert seed_voting_day(pemilu) == 0  # idempotent


# -- The pure matching -------------------------------------------------------------------------


@given(
    st.lists(st.frozensets(st.integers(1, 40), min_size=1, max_size=4), unique=True, max_size=12),
    st.lists(st.frozensets(st.integers(1, 40), min_size=1, max_size=4), unique=True, max_size=12),
)
def test_matching_keeps_exactly_the_same_tps_sets(old, new):
    fixed = {n + 1: station_key(s) for n, s in enumerate(old)}
    planned = [station_key(s) for s in new]
    result = match(fixed, planned)
    assert sorted([*result.kept, *result.new]) == list(range(len(planned)))
    assert all(fixed[pid] == planned[i] for i, pid in result.kept.items())
    assert set(result.retired) | set(result.kept.values()) == set(fixed) and not set(result.retired) & set(result.kept.values())
    assert all(fixed[pid] not in planned for pid in result.retired)


@given(st.lists(st.integers(1, 999), max_size=10), st.integers(0, 5))
def test_new_codes_are_never_used_before(used_numbers, count):
    used = [f"51.05.01/{n:03d}" for n in used_numbers] + ["51.05.02/999"]
    codes = next_codes("51.05.01", used, count)
    assert len(codes) == count and not set(codes) & set(used) and len(set(codes)) == count


@pytest.mark.django_db
def test_a_polsek_field_officer_lands_on_the_check_in_page(pemilu):
    client = Client()
    client.force_login(field_account(Agency.objects.get(slug="polsek-nusa-penida")))
    response = client.get("/")
    assert response.status_code == 302 and response.url.endswith("/pengamanan/lapangan/")
    assert client.get(response.url).status_code == 200
    assert client.get(f"/pemilihan/{pemilu.slug}/pengamanan/pos/").status_code == 403  # it checks in; the board is the desk's


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer on one database lock: nothing to race")
@pytest.mark.django_db(transaction=True)
def test_the_same_check_in_sent_twice_at_once_is_stored_once_and_two_fixes_at_once_make_one_set_of_posts(committed, user_of, on):
    import threading

    from django.db import connections

    election, polres = Election.objects.get(slug="pemilu-2024"), Agency.objects.get(slug="polres-klungkung")
    start, errors = threading.Barrier(2), []

    def run(work):
        try:
            start.wait()
            work()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    def race(work):
        threads = [threading.Thread(target=run, args=(work,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    race(lambda: fix_plan(actor=user_of(personas.POLRES), election=election, polres=polres))
    assert errors == []
    fixed = GuardPost.objects.filter(election=election, retired_at__isnull=True).count()
    assert fixed > 100 and GuardPost.objects.filter(election=election).count() == fixed
    assert AuditEvent.objects.filter(action="guard.fix_plan").count() == 1

    post = GuardPost.objects.filter(election=election, polsek__slug="polsek-nusa-penida").select_related("polsek", "election").first()
    officer, client_id = field_account(post.polsek), uuid.uuid4()
    race(lambda: check_in(actor=officer, post=post, client_id=client_id, at=wita(6, 30), linmas_present=2))
    assert errors == []
    assert PostCheckIn.objects.filter(client_id=client_id).count() == 1
    assert AuditEvent.objects.filter(action="guard.check_in.hadir").count() == 1


@pytest.mark.django_db
def test_the_situation_rooms_posts_layer_shows_each_fixed_posts_staffing(fixed, client_of, on):
    on(wita(9))
    staffed, empty = of(fixed, "polsek-nusa-penida")[:2]
    check_in(actor=field_account(staffed.polsek), post=staffed, client_id=uuid.uuid4(), at=wita(6, 40))
    layer = json.loads(client_of(personas.POLSEK_NUSA_PENIDA).get("/pemilihan/pemilu-2024/situasi/lapisan/pos.geojson").content)
    tips = {f["properties"]["id"]: f["properties"]["tip"] for f in layer["features"]}
    station = staffed.stations.first()
    assert tips[station.pk] == f"Pos {staffed.number} ({staffed.code}) · terisi sejak 06:40"
    assert tips[empty.stations.first().pk].endswith("· kosong")
