"""Printed documents as a class: every PDF template prints the same letterhead (the issuing
office's full name, the level above it, its contact line, a rule) and the same signature block
(name, NIP/NRP line), keeps signatures on the page of the text before them, and names items by
their labels. The documents are read back from the PDF with pypdf."""

from pathlib import Path

import pytest
from django.template import engines

from sinergi.accounts.models import Agency
from sinergi.regions.models import Region

ROOT = Path(__file__).resolve().parents[2] / "sinergi"


def document_templates() -> list[Path]:
    return sorted(p for p in ROOT.rglob("templates/**/*.html") if '"documents/base.html"' in p.read_text())



def test_every_document_template_prints_the_shared_letterhead_and_signature_blocks():
    templates = document_templates()
    assert len(templates) >= 12
    for path in templates:
        source = path.read_text()
        name = path.relative_to(ROOT)
        assert '{% include "documents/_kop.html"' in source, f"{name} has no letterhead partial"
        assert 'class="kop"' not in source and "line1" not in source, f"{name} builds its own letterhead"
        if "signatures" in source:
            assert '{% include "documents/_signature.html"' in source, f"{name} builds its own signature block"
            assert 'class="name"' not in source, f"{name} builds its own signature block"
    # Every template compiles (the includes resolve).
    for path in templates:
        engines["django"].engine.get_template(str(path.relative_to(path.parents[1])).replace("\\", "/"))


@pytest.mark.django_db
def test_the_letterhead_names_each_office_in_full_with_the_level_above():
    from sinergi.accounts.letterhead import letterhead, letterhead_of

    klungkung, nusa_penida, ped = (Region.objects.select_related("parent__parent").get(code=c) for c in ("51.05", "51.05.01", "51.05.01.2010"))
    expected = {
        Agency.Kind.BAWASLU: (klungkung, ("BADAN PENGAWAS PEMILIHAN UMUM PROVINSI BALI",), "BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN KLUNGKUNG"),
        Agency.Kind.PANWASCAM: (nusa_penida, ("BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN KLUNGKUNG",), "PANITIA PENGAWAS PEMILIHAN UMUM KECAMATAN NUSA PENIDA"),
        Agency.Kind.PKD: (ped, ("PANITIA PENGAWAS PEMILIHAN UMUM KECAMATAN NUSA PENIDA",), "PANITIA PENGAWAS PEMILIHAN UMUM DESA PED"),
        Agency.Kind.KPU: (klungkung, ("KOMISI PEMILIHAN UMUM PROVINSI BALI",), "KOMISI PEMILIHAN UMUM KABUPATEN KLUNGKUNG"),
        Agency.Kind.POLRES: (klungkung, ("KEPOLISIAN NEGARA REPUBLIK INDONESIA", "KEPOLISIAN DAERAH BALI"), "KEPOLISIAN RESOR KLUNGKUNG"),
        Agency.Kind.POLSEK: (nusa_penida, ("KEPOLISIAN DAERAH BALI", "KEPOLISIAN RESOR KLUNGKUNG"), "KEPOLISIAN SEKTOR NUSA PENIDA"),
        Agency.Kind.KEJAKSAAN: (klungkung, ("KEJAKSAAN REPUBLIK INDONESIA", "KEJAKSAAN TINGGI BALI"), "KEJAKSAAN NEGERI KLUNGKUNG"),
        Agency.Kind.PEMDA: (klungkung, ("PEMERINTAH PROVINSI BALI",), "PEMERINTAH KABUPATEN KLUNGKUNG"),
    }
    for kind, (region, above, name) in expected.items():
        kop = letterhead(kind, region)
        assert (kop.above, kop.name, kop.contact) == (above, name, ""), kind
    bawaslu = Agency.objects.get(slug="bawaslu-klungkung")
    bawaslu.address, bawaslu.email = "Jalan Contoh 1, Semarapura", "contoh@example.org"
    assert letterhead_of(bawaslu).contact == "Jalan Contoh 1, Semarapura · Surel contoh@example.org"


@pytest.mark.django_db
def test_an_agencys_contact_line_is_set_from_the_command_line_checked_and_audited():
    from io import StringIO

    from django.core.management import CommandError, call_command

    from sinergi.audit.models import AuditEvent

    out = StringIO()
    call_command("agency_contact", "kpu-klungkung", "--address", "Jalan Contoh 2, Semarapura", "--email", "kpu@example.org", stdout=out)
    assert out.getvalue().splitlines() == ["KOMISI PEMILIHAN UMUM PROVINSI BALI", "KOMISI PEMILIHAN UMUM KABUPATEN KLUNGKUNG", "Jalan Contoh 2, Semarapura · Surel kpu@example.org"]
    assert AuditEvent.objects.filter(action="agency.contact", object_repr="KPU Kabupaten Klungkung").count() == 1
    call_command("agency_contact", "kpu-klungkung", "--email", "kpu@example.org", stdout=StringIO())  # no change: no event
    assert AuditEvent.objects.filter(action="agency.contact").count() == 1
    with pytest.raises(CommandError, match="email: Alamat surel tidak sah"):
        call_command("agency_contact", "kpu-klungkung", "--email", "bukan surel", stdout=StringIO())
    assert Agency.objects.get(slug="kpu-klungkung").email == "kpu@example.org"
