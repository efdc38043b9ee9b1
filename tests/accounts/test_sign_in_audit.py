"""Signing in, signing out and failed sign-ins are in the audit trail (the username tried, never the password)."""

import pytest
from django.test import Client, override_settings

from sinergi.audit.models import AuditEvent
from tests import personas


def login(client: Client, username: str, password: str):
    return client.post("/akun/masuk/", {"username": username, "password": password})


@pytest.mark.django_db
def test_a_sign_in_and_a_sign_out_are_audited(user_of):
    client = Client()
    assert login(client, personas.PANWASCAM_NUSA_PENIDA, personas.PASSWORD).status_code == 302
    user = user_of(personas.PANWASCAM_NUSA_PENIDA)
    sign_in = AuditEvent.objects.get(action="user.sign_in")
    assert (sign_in.actor_id, sign_in.actor_username, sign_in.object_id, sign_in.region) == (user.pk, user.username, str(user.pk), "51.05.01")
    client.post("/akun/keluar/")
    sign_out = AuditEvent.objects.get(action="user.sign_out")
    assert (sign_out.actor_id, sign_out.object_id) == (user.pk, str(user.pk))


@pytest.mark.django_db
def test_a_failed_sign_in_is_audited_with_the_username_tried_and_not_the_password(user_of):
    assert login(Client(), personas.POLRES, "tebakan-rahasia-123").status_code == 200
    assert login(Client(), "tidak-ada-orangnya", "tebakan-rahasia-456").status_code == 200
    known, unknown = AuditEvent.objects.filter(action="user.sign_in_failed").order_by("pk")
    polres = user_of(personas.POLRES)
    assert (known.actor_id, known.object_id, known.object_repr, known.region) == (None, str(polres.pk), personas.POLRES, polres.agency.region_id)
    assert known.changes == {"username": [None, personas.POLRES], "locked_out": [None, False]}
    assert (unknown.actor_id, unknown.object_id, unknown.object_repr, unknown.region) == (None, "", "tidak-ada-orangnya", "")
    stored = str(list(AuditEvent.objects.values_list("changes", "object_repr", "actor_username")))
    assert "tebakan-rahasia" not in stored
    assert not AuditEvent.objects.filter(action="user.sign_in").exists()


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=2)
def test_a_sign_in_refused_by_the_lockout_is_audited_as_locked_out():
    client = Client()
    for _ in range(2):
        login(client, personas.KPU, "salah-sekali")
    assert login(client, personas.KPU, personas.PASSWORD).status_code == 429
    last = AuditEvent.objects.filter(action="user.sign_in_failed").order_by("pk").last()
    assert last.changes["locked_out"] == [None, True]
    assert not AuditEvent.objects.filter(action="user.sign_in").exists()
