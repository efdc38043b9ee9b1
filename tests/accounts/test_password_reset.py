"""Password reset by e-mail: Django's own views, Indonesian pages and mail, the new password audited."""

import re

import pytest
from django.core import mail
from django.test import Client

from sinergi.accounts.models import User
from sinergi.accounts.services import ensure_user
from sinergi.audit.models import AuditEvent
from tests import personas


@pytest.fixture
def kpu_with_email(user_of):
    kpu = user_of(personas.KPU)
    # How an administrator records the address (docs/operations.md): audited like any change.
    ensure_user(actor=None, username=kpu.username, agency=kpu.agency, role=kpu.role, full_name=kpu.first_name, password="", email="logistik@kpu-klungkung.example")
    event = AuditEvent.objects.filter(action="user.save", object_id=str(kpu.pk)).latest("pk")
    assert event.changes == {"email": ["", "logistik@kpu-klungkung.example"]}
    return user_of(personas.KPU)


@pytest.mark.django_db
def test_the_sign_in_page_offers_the_reset():
    page = Client().get("/akun/masuk/")
    assert 'href="/akun/lupa-kata-sandi/"' in page.text and "Lupa kata sandi?" in page.text


@pytest.mark.django_db
def test_a_password_is_reset_through_the_link_in_the_mail(kpu_with_email):
    client = Client()
    form = client.get("/akun/lupa-kata-sandi/")
    assert form.status_code == 200 and '<html lang="id">' in form.text and "Atur ulang kata sandi" in form.text
    sent = client.post("/akun/lupa-kata-sandi/", {"email": "logistik@kpu-klungkung.example"})
    assert sent.status_code == 302 and sent["Location"] == "/akun/lupa-kata-sandi/terkirim/"
    assert "Periksa kotak masuk" in client.get(sent["Location"]).text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["logistik@kpu-klungkung.example"] and "Atur ulang kata sandi Sinergi" in message.subject
    assert personas.KPU in message.body and "Abaikan" in message.body
    link = re.search(r"http://testserver(/akun/atur-ulang/\S+/)", message.body).group(1)
    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200 and "Kata sandi baru" in confirm.text
    done = client.post(confirm.redirect_chain[-1][0], {"new_password1": "Logistik-Klungkung-2024", "new_password2": "Logistik-Klungkung-2024"})
    assert done.status_code == 302 and done["Location"] == "/akun/atur-ulang/selesai/"
    assert "Kata sandi Anda sudah diganti" in client.get(done["Location"]).text
    user = User.objects.get(username=personas.KPU)
    assert user.check_password("Logistik-Klungkung-2024")
    event = AuditEvent.objects.get(action="user.password_reset")
    assert (event.actor_id, event.object_id, event.region) == (user.pk, str(user.pk), user.agency.region_id)
    # The link works once.
    assert "tidak berlaku lagi" in client.get(link, follow=True).text


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_mail(kpu_with_email):
    sent = Client().post("/akun/lupa-kata-sandi/", {"email": "orang-lain@example.com"})
    assert sent.status_code == 302 and sent["Location"] == "/akun/lupa-kata-sandi/terkirim/"
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_weak_new_password_is_refused_in_indonesian(kpu_with_email):
    client = Client()
    client.post("/akun/lupa-kata-sandi/", {"email": "logistik@kpu-klungkung.example"})
    link = re.search(r"http://testserver(/akun/atur-ulang/\S+/)", mail.outbox[0].body).group(1)
    confirm = client.get(link, follow=True)
    refused = client.post(confirm.redirect_chain[-1][0], {"new_password1": "12345", "new_password2": "12345"})
    assert refused.status_code == 200 and "Kata sandi terlalu pendek" in refused.text
    assert User.objects.get(username=personas.KPU).check_password(personas.PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password_reset").exists()


def test_without_an_smtp_host_mail_is_written_to_the_console(tmp_path):
    import os
    import subprocess
    import sys

    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='sinergi.settings'; django.setup(); from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])"
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "EMAIL_HOST"}}
    result = subprocess.run([sys.executable, "-c", code], env={**clean, "DEBUG": "1", "SINERGI_VAR_DIR": str(tmp_path)}, capture_output=True, text=True)
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend", result.stderr
