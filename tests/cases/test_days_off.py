"""Extra days off: who may add them, where they hold, and the deadlines they move."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from sinergi.audit.models import AuditEvent
from sinergi.cases.services import add_day_off, calendar_for, days_off_for, remove_day_off
from tests import personas


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_national_day_off_moves_a_working_day_deadline(pemilu):
    before = run("deadlines", "--election", "pemilu-2024", "--known", "2024-02-09")
    assert "Laporan disampaikan ke Bawaslu: paling lambat 21-02-2024" in before
    assert run("days_off", "add", "2024-02-13", "--reason", "Keppres (contoh) libur tambahan") == "2024-02-13 dicatat sebagai hari libur tambahan.\n"
    after = run("deadlines", "--election", "pemilu-2024", "--known", "2024-02-09")
    assert "Laporan disampaikan ke Bawaslu: paling lambat 22-02-2024" in after and "13-02 (Keppres (contoh) libur tambahan)" in after
    assert AuditEvent.objects.filter(action="day_off.add", object_repr="13-02-2024 (seluruh wilayah)").count() == 1
    assert "13-02-2024  seluruh wilayah  Keppres (contoh) libur tambahan" in run("days_off", "list")
    run("days_off", "remove", "2024-02-13")
    assert "paling lambat 21-02-2024" in run("deadlines", "--election", "pemilu-2024", "--known", "2024-02-09")
    assert AuditEvent.objects.filter(action="day_off.remove").count() == 1


@pytest.mark.django_db
def test_a_regional_day_off_holds_in_its_region_and_below_only():
    add_day_off(actor=None, day=date(2024, 2, 13), reason="Libur daerah Klungkung (contoh)", region_code="51.05")
    add_day_off(actor=None, day=date(2024, 2, 15), reason="Hari raya desa adat (contoh)", region_code="51.05.01.2010")
    assert days_off_for("51.05.01.2010") == {date(2024, 2, 13): "Libur daerah Klungkung (contoh)", date(2024, 2, 15): "Hari raya desa adat (contoh)"}
    assert days_off_for("51.05.01") == {date(2024, 2, 13): "Libur daerah Klungkung (contoh)"}  # a village's day does not stop its kecamatan
    assert days_off_for("") == {}
    assert calendar_for("51.05.01", [2024]).why_off(date(2024, 2, 13)) == "Libur daerah Klungkung (contoh)"


@pytest.mark.django_db
def test_bawaslu_manages_days_off_of_its_area_only(user_of):
    bawaslu = user_of(personas.BAWASLU)
    add_day_off(actor=bawaslu, day=date(2024, 2, 13), reason="Libur daerah (contoh)", region_code="51.05.01")
    with pytest.raises(PermissionDenied):
        add_day_off(actor=bawaslu, day=date(2024, 2, 13), reason="Libur nasional?", region_code="")  # everywhere: the deployment's call
    with pytest.raises(PermissionDenied):
        add_day_off(actor=user_of(personas.POLRES), day=date(2024, 2, 14), reason="x", region_code="51.05")
    with pytest.raises(ValidationError, match="sudah tercatat sebagai hari libur tambahan"):
        add_day_off(actor=bawaslu, day=date(2024, 2, 13), reason="lagi", region_code="51.05.01")
    with pytest.raises(ValidationError, match="Alasan wajib diisi"):
        add_day_off(actor=bawaslu, day=date(2024, 2, 16), reason="  ", region_code="51.05.01")
    with pytest.raises(ValidationError, match="bukan hari libur tambahan"):
        remove_day_off(actor=bawaslu, day=date(2024, 2, 16), region_code="51.05.01")


@pytest.mark.django_db
def test_the_command_explains_a_missing_date_and_an_unknown_region():
    with pytest.raises(CommandError, match="Sebutkan tanggalnya"):
        run("days_off", "add")
    with pytest.raises(CommandError, match="Wilayah 99.99 tidak ada"):
        run("days_off", "add", "2024-02-13", "--reason", "x", "--region", "99.99")
