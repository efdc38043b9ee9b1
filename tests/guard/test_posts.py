"""Voting day's guard posts: fixing the plan (and re-fixing it), officers assigned and moved (the
check-ins and the board: test_post_check_ins.py)."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from sinergi.audit.models import AuditEvent
from sinergi.guard.demo import field_account
from sinergi.guard.fixing import station_key
from sinergi.guard.models import GuardOfficer, GuardPost, OfficerMove, PostCheckIn
from sinergi.guard.post_services import assign_officer, check_in, fix_plan, move_officer
from sinergi.guard.queries import posts_for
from sinergi.guard.services import current_rules, set_formation
from tests import personas
from tests.guard.posts import of, wita

# -- Fixing the plan ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_fixing_makes_one_post_per_planned_post_and_a_refix_changes_nothing(pemilu, polres, user_of, fixed):
    plan, _classes, _uncovered = posts_for(user_of(personas.POLRES), pemilu, polres.region_id)
    assert len(fixed) == len(plan.posts)
    assert sorted(p.station_key for p in fixed) == sorted(station_key(post.station_ids) for post in plan.posts)
    assert sum(p.stations.count() for p in fixed) == 649
    assert len({p.code for p in fixed}) == len(fixed)
    events = AuditEvent.objects.filter(action="guard.fix_plan").count()
    assert events == 1
    again = fix_plan(actor=user_of(personas.POLRES), election=pemilu, polres=polres)
    assert not again.changed and len(again.kept) == len(fixed)
    assert AuditEvent.objects.filter(action="guard.fix_plan").count() == events
    assert list(GuardPost.objects.filter(election=pemilu).order_by("number").values_list("pk", flat=True)) == [p.pk for p in fixed]


@pytest.mark.django_db
def test_a_refix_after_a_formation_change_keeps_the_posts_that_did_not_change_and_their_check_ins(pemilu, polres, user_of, fixed):
    polres_user = user_of(personas.POLRES)
    sangat = [p for p in fixed if p.level == "sangat_rawan"]
    others = [p for p in fixed if p.level != "sangat_rawan"]
    assert sangat and others
    officer = field_account(others[0].polsek)
    check_in(actor=officer, post=others[0], client_id=uuid.uuid4(), at=wita(6))
    rules = current_rules(pemilu, polres)
    police, stations, linmas = rules["sangat_rawan"]
    rules["sangat_rawan"] = (police, stations + 1, linmas)  # sangat rawan TPS now pair up
    set_formation(actor=polres_user, election=pemilu, polres=polres, name="Formasi baru", source="uji", rules=rules)
    result = fix_plan(actor=polres_user, election=pemilu, polres=polres)
    assert set(result.retired) <= {p.code for p in sangat} and result.retired
    assert result.created
    kept = GuardPost.objects.filter(pk__in=[p.pk for p in others], retired_at__isnull=True)
    assert kept.count() == len(others)  # same pk, same code: not retired
    assert PostCheckIn.objects.filter(post=others[0]).count() == 1
    # New codes continue after the old ones: a code is never reused.
    assert not set(result.created) & {p.code for p in fixed}
    assert GuardPost.objects.filter(election=pemilu, code__in=result.retired, retired_at__isnull=False).count() == len(result.retired)


@pytest.mark.django_db
def test_only_the_polres_fixes_the_plan(pemilu, polres, user_of):
    for username in (personas.POLSEK_NUSA_PENIDA, personas.BAWASLU, personas.KPU):
        with pytest.raises(PermissionDenied):
            fix_plan(actor=user_of(username), election=pemilu, polres=polres)
    assert not GuardPost.objects.exists()
    response = Client().post(f"/pemilihan/{pemilu.slug}/pengamanan/pos/tetapkan/")
    assert response.status_code == 302 and not GuardPost.objects.exists()


@pytest.mark.django_db
def test_the_polres_fixes_the_plan_from_the_board(pemilu, client_of):
    response = client_of(personas.POLRES).post(f"/pemilihan/{pemilu.slug}/pengamanan/pos/tetapkan/", follow=True)
    assert response.status_code == 200
    assert GuardPost.objects.filter(election=pemilu).count() > 100
    assert "Rencana pos ditetapkan" in response.content.decode()
    assert client_of(personas.POLSEK_NUSA_PENIDA).post(f"/pemilihan/{pemilu.slug}/pengamanan/pos/tetapkan/").status_code == 403


# -- Officers ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_kapolsek_moves_an_officer_between_posts_of_the_polsek_and_the_plan_keeps_the_move(fixed, kapolsek, client_of):
    first, second = of(fixed, "polsek-nusa-penida")[:2]
    officer = assign_officer(actor=kapolsek, post=first, name="I Made Uji", nrp="81010001")
    move = move_officer(actor=kapolsek, officer=officer, to_post=second, reason="TPS ramai")
    officer.refresh_from_db()
    assert officer.post == second
    assert (move.from_post, move.to_post, move.moved_by) == (first, second, kapolsek)
    event = AuditEvent.objects.filter(action="guard.move_officer").get()
    assert event.changes["pos"] == [first.code, second.code]
    page = client_of("kapolsek-np").get(f"/pemilihan/{first.election.slug}/pengamanan/pos/{second.pk}/").content.decode()
    assert "I Made Uji" in page and "TPS ramai" in page


@pytest.mark.django_db
def test_the_kapolsek_moves_through_the_post_page(fixed, kapolsek):
    first, second = of(fixed, "polsek-nusa-penida")[:2]
    officer = assign_officer(actor=kapolsek, post=first, name="I Made Uji", nrp="81010001")
    client = Client()
    client.force_login(kapolsek)
    response = client.post(f"/pemilihan/pemilu-2024/pengamanan/pos/{first.pk}/", {"move": "1", "officer": officer.pk, "to_post": second.pk, "reason": ""})
    assert response.status_code == 302
    assert OfficerMove.objects.filter(officer=officer, from_post=first, to_post=second).exists()


@pytest.mark.django_db
def test_another_kecamatans_polsek_may_not_move_or_assign_officers_of_nusa_penida(fixed, kapolsek, other_kapolsek, user_of):
    first, second = of(fixed, "polsek-nusa-penida")[:2]
    theirs = of(fixed, "polsek-klungkung")[0]
    officer = assign_officer(actor=kapolsek, post=first, name="I Made Uji", nrp="81010001")
    with pytest.raises(PermissionDenied):
        move_officer(actor=other_kapolsek, officer=officer, to_post=second)
    with pytest.raises(PermissionDenied):
        assign_officer(actor=other_kapolsek, post=first, name="Orang Lain", nrp="81010002")
    with pytest.raises(ValidationError):  # only between posts of the officer's own Polsek
        move_officer(actor=kapolsek, officer=officer, to_post=theirs)
    with pytest.raises(PermissionDenied):  # the Polsek's staff does not move officers
        move_officer(actor=user_of(personas.POLSEK_NUSA_PENIDA), officer=officer, to_post=second)
    client = Client()
    client.force_login(other_kapolsek)
    assert client.get(f"/pemilihan/pemilu-2024/pengamanan/pos/{first.pk}/").status_code == 404
    assert client.post(f"/pemilihan/pemilu-2024/pengamanan/pos/{first.pk}/", {"move": "1", "officer": officer.pk, "to_post": second.pk}).status_code == 404
    officer.refresh_from_db()
    assert officer.post == first and not OfficerMove.objects.exists()
    # The Polres moves within its whole area.
    move_officer(actor=user_of(personas.POLRES), officer=officer, to_post=second)
    assert OfficerMove.objects.count() == 1


@pytest.mark.django_db
def test_an_nrp_serves_at_one_post(fixed, kapolsek):
    first, second = of(fixed, "polsek-nusa-penida")[:2]
    assign_officer(actor=kapolsek, post=first, name="I Made Uji", nrp="81010001")
    with pytest.raises(ValidationError, match="NRP 81010001"):
        assign_officer(actor=kapolsek, post=second, name="I Made Uji", nrp="81010001")
    with pytest.raises(ValidationError, match="NRP"):
        assign_officer(actor=kapolsek, post=second, name="Tanpa NRP", nrp="abc")
    assert GuardOfficer.objects.count() == 1


