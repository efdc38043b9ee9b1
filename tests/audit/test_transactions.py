"""Write paths through their real URLs with real transactions (no test-wide transaction around them).

Every other test runs inside one transaction, which hides a service that forgot its own: the audit
trail refuses to be written outside a transaction, so such a service fails in production only.
These tests commit for real; each starts from the base data loaded afresh (`committed`). The last
one checks that the outermost services are durable.
"""

import pytest
from django.db import connection

from sinergi.audit.models import AuditEvent
from sinergi.supervisors.models import Assignment
from tests import personas


@pytest.mark.django_db(transaction=True)
def test_bawaslu_reveals_a_full_nik_and_the_read_is_audited(committed, client_of, pemilu):
    assert not connection.in_atomic_block  # what these tests are for
    assignment = Assignment.objects.filter(election=pemilu, region_id="51.05.01.2010").select_related("supervisor").first()
    response = client_of(personas.BAWASLU).post(f"/pemilihan/pemilu-2024/pengawas/{assignment.pk}/", {"reveal": "1"})
    assert response.status_code == 200 and assignment.supervisor.nik in response.text
    event = AuditEvent.objects.filter(action="personal_data.read").get()
    assert (event.actor_username, event.object_id) == (personas.BAWASLU, str(assignment.supervisor.pk))


@pytest.mark.django_db(transaction=True)
def test_bawaslu_amends_a_checklist_and_the_police_set_the_class_through_the_pages(committed, client_of, pemilu):
    from sinergi.risk.models import ChecklistAnswer, StationClass
    from sinergi.stations.models import Station

    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    url = f"/pemilihan/pemilu-2024/tps/{station.pk}/"
    saved = client_of(personas.BAWASLU_STAFF).post(url + "rawan/", {"present_6.1": "on", "note_6.1": "Posko", "reason": "Laporan PKD 10 Feb"})
    assert saved.status_code == 302 and ChecklistAnswer.objects.get(station=station, indicator__code="6.1").note == "Posko"
    set_class = client_of(personas.POLRES).post(url + "kelas/", {"level": "rawan", "reason": "Mediasi adat berhasil"})
    assert set_class.status_code == 302 and StationClass.objects.get(station=station).level == "rawan"
    assert AuditEvent.objects.filter(action="checklist.save", object_id=str(station.pk)).count() == 2  # the demo's and this one
    assert AuditEvent.objects.filter(action="police_class.set", object_id=str(station.pk), actor_username=personas.POLRES).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_public_report_is_filed_registered_and_its_reminder_mailed_after_the_commit(committed, client_of, pemilu, on, user_of):
    from datetime import UTC, datetime

    from django.core import mail
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from sinergi.cases import workflow
    from sinergi.cases.models import Case, Evidence, Reminder
    from tests.cases.test_pages import PNG, form_data

    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))
    filed = Client().post(reverse("cases:public_report", args=[pemilu.slug]), form_data(evidence=[SimpleUploadedFile("foto.png", PNG, "image/png")]))
    case = Case.objects.get()
    assert filed.status_code == 302 and Evidence.objects.filter(case=case).count() == 1
    assert set(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True)) == {"case.laporan", "case.evidence"}
    checks = {f"check_{code}": "on" for code, _ in workflow.CHECKLIST}
    registered = client_of(personas.BAWASLU).post(reverse("cases:take_step", args=[pemilu.slug, case.pk]), {"action": "registrasi", "note": "", **checks})
    case.refresh_from_db()
    assert registered.status_code == 302 and case.status == Case.Status.REGISTERED
    bawaslu = user_of(personas.BAWASLU)
    bawaslu.email = "hukum@bawaslu-klungkung.example"
    bawaslu.save()
    on(datetime(2024, 2, 22, 16, 1, tzinfo=UTC))  # 23 Feb 00.01 WITA: the decision (registered Mon 12, due Thu 22 Feb) is overdue
    call_command("case_reminders")
    assert Reminder.objects.filter(case=case, superseded=False).count() == 1
    assert [m.to for m in mail.outbox] == [["hukum@bawaslu-klungkung.example"]]  # sent once the reminder was committed


@pytest.mark.django_db
def test_a_service_entry_point_refuses_to_run_inside_another_transaction(user_of, pemilu):
    """Outermost writes are durable: a caller wrapping one in its own transaction is a mistake
    (its audit events and side effects would wait on, or be lost with, the caller's)."""
    from django.db import transaction

    from sinergi.risk.services import set_rules

    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        set_rules(actor=user_of(personas.POLRES), election=pemilu, rawan_min_variables=3)
