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
    dawan = next(d for d in plan_for(user_of(personas.POLRES), pemilu).plan.districts if d.district_code == "51.05.04")
    assert dawan.available_police == 1 and dawan.shortage == dawan.police - 1
