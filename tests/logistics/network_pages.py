"""What the network-page tests share (test_network_pages.py, test_network_access.py): the page's
address, the other accounts' names, a valid row of each form, and readers of a page's errors."""

import json
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile

from sinergi.audit.models import AuditEvent

BASE = "/pemilihan/pemilu-2024/logistik/jaringan/"
KPU_BADUNG = "kpu-badung"
KPU_NUSA_PENIDA = "kpu-nusapenida-jaringan"

PLACE = {"kode": "gudang-ppk-nusapenida", "nama": "Gudang PPK Nusa Penida", "jenis": "gudang_ppk", "lintang": "-8.727", "bujur": "115.544", "perkiraan": "on"}
CROSSING = {"nama": "Sanur – Toyapakeh (perahu barang)", "dari": "kusamba", "ke": "sampalan", "moda": "barang", "menit": "45", "berangkat": "08:00, 14:00", "kapasitas": "12"}
VEHICLE = {"nama": "Pikap Penida", "jenis": "pikap", "jumlah": "3", "kapasitas": "10", "kecepatan": "25", "pangkalan": "sampalan", "muat_ulang": ""}
RULES = {
    "pulau_mulai_h": "3",
    "daratan_mulai_h": "1",
    "tenggat_h": "1",
    "jam_mulai": "06:30",
    "jam_selesai": "18:00",
    "rute_maks_menit": "600",
    "faktor_jalan": "1.45",
}


def errors_of(response) -> list[str]:
    """The error summary at the top of a form page, one line per error."""
    text = response.content.decode()
    start = text.index('data-testid="form-errors"')
    block = text[start : text.index("</div>", start)]
    return [unescape(line.split("</li>")[0]) for line in block.split("<li>")[1:]]


def last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("id")


def upload(document) -> SimpleUploadedFile:
    content = document if isinstance(document, bytes) else json.dumps(document, ensure_ascii=False).encode()
    return SimpleUploadedFile("jaringan.json", content, content_type="application/json")


def import_token(response) -> str:
    text = response.content.decode()
    start = text.index('name="berkas" value="') + len('name="berkas" value="')
    return text[start : text.index('"', start)]
