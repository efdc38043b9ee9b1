"""Every upload is checked by decoding its content and stored under a name of ours
(`core.uploads.check_upload`): case evidence (public form and staff), report photos, checklist
evidence, handover photos. A file that starts like a PNG but holds HTML, a PDF with JavaScript
(also inside a compressed object stream) is refused; a real image uploaded as `x.html` is stored
as `<random>.png`."""

import io
import re
import uuid
import zlib
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from sinergi.cases.models import Case, Evidence
from sinergi.core.uploads import DOCUMENT_KINDS, check_upload
from sinergi.supervisors.models import Attachment
from tests import personas
from tests.api.test_api import token_for
from tests.cases.test_pages import form_data
from tests.supervisors.test_intake import counting, upload
from tests.supervisors.test_reports import post

POLYGLOT = b"\x89PNG\r\n\x1a\n<html><body><script>alert(document.cookie)</script></body></html>"


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (20, 120, 40)).save(buffer, fmt)
    return buffer.getvalue()


def plain_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_script_in_an_object_stream() -> bytes:
    """A PDF 1.5 whose catalog (with /OpenAction) and JavaScript action sit in a Flate-compressed
    object stream, with a cross-reference stream: none of the names appears in the raw bytes."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
    ]
    body, offsets = b"", []
    for obj in objects:
        offsets.append(len(body))
        body += obj + b"\n"
    header = b" ".join(b"%d %d" % (n + 1, offset) for n, offset in enumerate(offsets)) + b"\n"
    packed = zlib.compress(header + body)
    out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    stream_at = len(out)
    out += b"5 0 obj\n<< /Type /ObjStm /N 4 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (len(header), len(packed)) + packed + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = b"\x00\x00\x00\x00\x00\xff\xff" + b"".join(b"\x02" + (5).to_bytes(4, "big") + n.to_bytes(2, "big") for n in range(4))
    rows += b"\x01" + stream_at.to_bytes(4, "big") + b"\x00\x00" + b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00"
    xref = zlib.compress(rows)
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n" % len(xref) + xref + b"\nendstream\nendobj\n"
    return out + b"startxref\n%d\n%%%%EOF\n" % xref_at


def check(content: bytes, name: str = "x"):
    return check_upload(SimpleUploadedFile(name, content), kinds=DOCUMENT_KINDS, max_bytes=10 * 1024 * 1024)


def test_the_checker_decodes_instead_of_trusting_the_first_bytes():
    with pytest.raises(ValidationError, match="bukan gambar PNG yang utuh"):
        check(POLYGLOT, "poly.html")
    truncated = image_bytes("JPEG")[:-200]
    with pytest.raises(ValidationError, match="JPEG"):
        check(truncated, "foto.jpg")
    assert check(image_bytes("PNG"), "foto.html").file.name.endswith(".png")
    assert check(image_bytes("JPEG"), "foto.png").kind == "jpeg"


def test_pdfs_with_active_content_are_refused_even_in_compressed_object_streams():
    assert check(plain_pdf(), "surat.pdf").content_type == "application/pdf"
    hidden = pdf_with_script_in_an_object_stream()
    assert b"JavaScript" not in hidden and b"OpenAction" not in hidden
    with pytest.raises(ValidationError, match="konten aktif"):
        check(hidden, "surat.pdf")
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("data.exe", b"MZ")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ValidationError, match="konten aktif"):
        check(buffer.getvalue(), "lampiran.pdf")
    with pytest.raises(ValidationError, match="rusak"):
        check(b"%PDF-1.4\nnot really a pdf", "rusak.pdf")


@pytest.mark.django_db
def test_the_public_form_refuses_a_polyglot_and_stores_an_image_under_our_name(pemilu, on):
    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))
    url = reverse("cases:public_report", args=[pemilu.slug])
    refused = Client().post(url, form_data(evidence=[SimpleUploadedFile("poly.html", POLYGLOT, "image/png")]))
    assert refused.status_code == 200 and "poly.html: bukan gambar PNG yang utuh" in refused.content.decode()
    assert not Case.objects.exists() and not Evidence.objects.exists()
    scripted = Client().post(url, form_data(evidence=[SimpleUploadedFile("surat.pdf", pdf_with_script_in_an_object_stream(), "application/pdf")]))
    assert "konten aktif" in scripted.content.decode() and not Case.objects.exists()
    assert Client().post(url, form_data(evidence=[SimpleUploadedFile("bukti.html", image_bytes("PNG"), "text/html")])).status_code == 302
    evidence = Evidence.objects.get()
    assert re.fullmatch(r"cases/\d{4}/\d{2}/[0-9a-f]{32}\.png", evidence.file.name), evidence.file.name
    assert (evidence.name, evidence.content_type) == ("bukti.html", "image/png")


@pytest.mark.django_db
def test_staff_evidence_is_served_with_the_detected_type_and_extension(pemilu, on, client_of):
    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))
    Client().post(reverse("cases:public_report", args=[pemilu.slug]), form_data(evidence=[SimpleUploadedFile("bukti.html", image_bytes("JPEG"), "text/html")]))
    case, evidence = Case.objects.get(), Evidence.objects.get()
    served = client_of(personas.BAWASLU_STAFF).get(reverse("cases:evidence", args=[pemilu.slug, case.pk, evidence.pk]))
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert 'filename="bukti.jpg"' in served["Content-Disposition"]


@pytest.mark.django_db
def test_report_photos_are_stored_under_our_name(user_of, pemilu):
    from sinergi.stations.models import Station
    from sinergi.supervisors.models import Assignment, Supervisor

    ped17 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    Supervisor.objects.filter(assignments__station=ped17, assignments__status__in=Assignment.ACTIVE).update(user=user_of(personas.PTPS_PED))
    token = token_for(personas.PTPS_PED)
    report = counting(ped17)
    assert post(token, report).status_code == 201
    photo = {"client_id": str(uuid.uuid4()), "report_id": report["client_id"], "code": "foto_c_hasil"}
    assert upload(token, photo, image_bytes("PNG"), "c-hasil.jpg").status_code == 201
    stored = Attachment.objects.get(client_id=photo["client_id"])
    assert re.fullmatch(r"reports/\d{4}/\d{2}/\d{2}/[0-9a-f]{32}\.png", stored.file.name), stored.file.name
    assert stored.content_type == "image/png"
    polyglot = upload(token, {**photo, "client_id": str(uuid.uuid4())}, POLYGLOT, "poly.png")
    assert polyglot.status_code == 400 and "bukan gambar PNG yang utuh" in str(polyglot.json()["detail"])


@pytest.mark.django_db
def test_checklist_evidence_takes_the_extension_of_the_decoded_type(user_of, pemilu):
    from sinergi.risk.models import ChecklistAnswer
    from sinergi.risk.services import submit_checklist
    from sinergi.stations.models import Station
    from tests.risk.test_checklist import CLOSED_DAY

    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)
    photo = SimpleUploadedFile("bukti.png", image_bytes("JPEG"), content_type="image/png")
    submit_checklist(actor=user_of(personas.BAWASLU_STAFF), station=station, answers={}, evidence=("6.4", photo), reason="Foto dari PKD", today=CLOSED_DAY)
    name = ChecklistAnswer.objects.get(station=station, indicator__code="6.4").evidence.name
    assert name.rsplit("/", 1)[-1].startswith(f"tps-{station.pk}-6-4") and name.endswith(".jpg"), name
    with pytest.raises(ValidationError, match="bukan gambar PNG yang utuh"):
        submit_checklist(actor=user_of(personas.BAWASLU_STAFF), station=station, answers={}, evidence=("6.4", SimpleUploadedFile("p.png", POLYGLOT)), reason="x", today=CLOSED_DAY)
