"""The document of each step of a case (cases/workflow.ACTIONS[...].document) as a PDF, under the
letterhead of the agency that took it."""


from django.utils import timezone, translation

from sinergi.accounts.letterhead import district_agency, district_letterhead, gakkumdu_letterhead, id_label, letterhead_of
from sinergi.accounts.models import Agency
from sinergi.cases import workflow
from sinergi.cases.models import Case, Step
from sinergi.core.pdf import render_pdf
from sinergi.regions.queries import zone_label


def step_pdf(case: Case, step: Step) -> bytes:
    action = workflow.ACTIONS[step.action]
    zone = case.time_zone
    district = case.region.parent.parent if case.region.parent_id and case.region.parent.parent_id else case.region
    if action.deliberation:
        kop = gakkumdu_letterhead(district, district_agency(Agency.Kind.BAWASLU, district.code))
    else:
        kop = letterhead_of(step.agency)
    context = {
        "case": case,
        "step": step,
        "action": action,
        "kop": kop,
        "signer": step.actor.get_full_name() or step.actor.username,
        "signer_id_label": id_label(step.agency.kind),
        "at": timezone.localtime(step.at, zone),
        "received_at": timezone.localtime(case.received_at, zone),
        "printed_at": timezone.localtime(timezone.now(), zone),
        "tz_label": zone_label(case.time_zone),
        "place": district.name,
        "outcome": workflow.OUTCOME_LABEL.get(step.outcome, ""),
        "checklist": [(label, case.checklist.get(code, False)) for code, label in workflow.CHECKLIST] if step.action == "registrasi" else [],
    }
    with translation.override("id"):
        return render_pdf("cases/step_document.html", context)


def receipt_pdf(case: Case, filing, late: bool, *, status_url: str, track_url: str) -> bytes:
    """The reporter's receipt (tanda bukti penyampaian laporan) under the letterhead of the Bawaslu
    office that received it (that of the district of the event): the tracking code, when it was
    received, the event, the filing limit and the full addresses of the report's status page
    (`status_url`) and of the lookup page (`track_url`). No personal data: anyone holding the code
    may print it."""
    zone = case.time_zone
    office = district_agency(Agency.Kind.BAWASLU, case.region_id)
    kop = letterhead_of(office) if office is not None else district_letterhead(Agency.Kind.BAWASLU, case.region_id)
    context = {
        "case": case,
        "kop": kop,
        "office_name": office.name if office is not None else kop.name.title(),
        "status_url": status_url,
        "track_url": track_url,
        "received_at": timezone.localtime(case.received_at, zone),
        "printed_at": timezone.localtime(timezone.now(), zone),
        "tz_label": zone_label(case.time_zone),
        "filing": filing,
        "late": late,
    }
    with translation.override("id"):
        return render_pdf("cases/receipt_document.html", context)
