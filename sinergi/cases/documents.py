"""The document of each step of a case (cases/workflow.ACTIONS[...].document) as a PDF, under the
letterhead of the agency that took it."""

from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from sinergi.cases import workflow
from sinergi.cases.models import Case, Step
from sinergi.core.pdf import render_pdf

_LETTERHEAD = {
    "bawaslu": ("BADAN PENGAWAS PEMILIHAN UMUM", "KABUPATEN {place}"),
    "polres": ("KEPOLISIAN NEGARA REPUBLIK INDONESIA", "RESOR {place}"),
    "kejaksaan": ("KEJAKSAAN REPUBLIK INDONESIA", "KEJAKSAAN NEGERI {place}"),
}


def step_pdf(case: Case, step: Step) -> bytes:
    action = workflow.ACTIONS[step.action]
    zone = ZoneInfo(case.election.time_zone)
    district = case.region.parent.parent if case.region.parent_id and case.region.parent.parent_id else case.region
    if action.deliberation:
        lines = ("SENTRA PENEGAKAN HUKUM TERPADU", f"KABUPATEN {district.name.upper()}")
    else:
        line1, line2 = _LETTERHEAD.get(step.agency.kind, (step.agency.name.upper(), ""))
        lines = (line1, line2.format(place=district.name.upper()))
    context = {
        "case": case,
        "step": step,
        "action": action,
        "lines": lines,
        "at": timezone.localtime(step.at, zone),
        "received_at": timezone.localtime(case.received_at, zone),
        "printed_at": timezone.localtime(timezone.now(), zone),
        "tz_label": case.election.time_zone_label.split(" ")[0],
        "place": district.name,
        "outcome": workflow.OUTCOME_LABEL.get(step.outcome, ""),
        "checklist": [(label, case.checklist.get(code, False)) for code, label in workflow.CHECKLIST] if step.action == "registrasi" else [],
    }
    with translation.override("id"):
        return render_pdf("cases/step_document.html", context)


def receipt_pdf(case: Case, filing, late: bool) -> bytes:
    """The reporter's receipt (tanda bukti penyampaian laporan): the tracking code, when it was
    received, the event, and the filing limit. No personal data: anyone holding the code may print it."""
    zone = ZoneInfo(case.election.time_zone)
    context = {
        "case": case,
        "received_at": timezone.localtime(case.received_at, zone),
        "printed_at": timezone.localtime(timezone.now(), zone),
        "tz_label": case.election.time_zone_label.split(" ")[0],
        "filing": filing,
        "late": late,
    }
    with translation.override("id"):
        return render_pdf("cases/receipt_document.html", context)
