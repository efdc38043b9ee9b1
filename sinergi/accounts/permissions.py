"""Who may do what: every permission of Sinergi, granted by agency kind and role, in one place.

Where a permission is checked: services call `require()` before writing; views and the API call
it (or `can()`) before reading; templates use the `can` filter to show or hide actions. *What*
rows a user sees is a separate question, answered by area in each app's queries.py.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from sinergi.accounts.models import Agency, User

K = Agency.Kind
R = User.Role


class Perm(StrEnum):
    VIEW_STATIONS = "stations.view"
    IMPORT_STATIONS = "stations.import"
    EXPORT_STATIONS = "stations.export"
    VIEW_AUDIT = "audit.view"
    VIEW_RISK = "risk.view"
    FILL_CHECKLIST = "risk.fill"
    # Amending a checklist outside the collection stage, with a reason: Bawaslu district staff.
    AMEND_CHECKLIST = "risk.amend"
    SET_POLICE_CLASS = "risk.set_class"
    # The police class of a TPS is shared with Bawaslu (docs/domain.md §5), not with every agency.
    VIEW_POLICE_CLASS = "risk.view_class"
    # Bawaslu's frequency groups of the release.
    SET_RELEASE_RULES = "risk.release_rules"
    VIEW_INTEL = "risk.intel"
    # Writing an intelligence note on a TPS: the district's police (Polres, Polsek), whose work it is;
    # Polda and Polri read them (VIEW_INTEL) and write none.
    ADD_INTEL = "risk.add_intel"
    # The supervisors' roster: Bawaslu manages it; its committees read their area; NIK in full
    # only to Bawaslu staff, and every such read is audited.
    VIEW_SUPERVISORS = "supervisors.view"
    MANAGE_SUPERVISORS = "supervisors.manage"
    VIEW_PERSONAL_DATA = "supervisors.personal_data"
    # Form A reports: supervisors file them (a PTPS for its own TPS); Bawaslu's levels read them.
    FILE_REPORTS = "reports.file"
    VIEW_REPORTS = "reports.view"
    # The voting day of one's area without personal data (docs/supervisors.md, "Who reads voting
    # day"): which TPS reported each Form A stage, the answers marked as security-relevant
    # (Question.security), the incidents. The police (Polres: the district; Polsek: its kecamatan
    # and those it guards, accounts.PolsekCoverage) hold it to act on what the supervisors see;
    # whoever holds reports.view holds it too. No Form A narrative, no NIK, PTPS phones masked.
    VIEW_VOTING_DAY = "reports.view_status"
    # Logistics: KPU plans and records; Bawaslu and the police read.
    VIEW_LOGISTICS = "logistics.view"
    MANAGE_LOGISTICS = "logistics.manage"
    VIEW_GUARD_PLAN = "guard.view"
    MANAGE_GUARD = "guard.manage"
    # Voting day's guard posts (docs/risk-and-guard.md, "Voting-day posts"): police officers check
    # in at their Polsek's posts from a phone (the Polsek's field accounts and staff, the Polres's
    # staff for the posts of its area); the Kapolsek (Polsek administrator) and the Polres assign
    # officers to posts and move them between posts. Fixing the plan into posts is MANAGE_GUARD.
    CHECK_IN_POSTS = "guard.check_in"
    MOVE_OFFICERS = "guard.move_officers"
    # Findings of violations by supervisors (temuan), also from a voting-day incident.
    RECORD_FINDINGS = "cases.record_finding"
    # Days off beyond the national calendar (a regional holiday, a decree) that stop legal deadlines.
    MANAGE_DAYS_OFF = "cases.days_off"
    # Cases (docs/cases.md): Bawaslu's levels read those of their area and Bawaslu handles them;
    # the police and the prosecutor read the ones that reached Sentra Gakkumdu and take their steps;
    # Gakkumdu's deliberations are read and written by its members (Bawaslu, Polres, Kejaksaan).
    VIEW_CASES = "cases.view"
    HANDLE_CASES = "cases.handle"
    INVESTIGATE_CASES = "cases.investigate"
    PROSECUTE_CASES = "cases.prosecute"
    GAKKUMDU = "cases.gakkumdu"
    # Set-up of the deployment (regions, election presets, agencies, API tokens, users moved between
    # agencies): held by superusers and the command line only, granted to no agency role. Inviting
    # users is MANAGE_USERS below. MANAGE_ELECTIONS is the deployment administrator's:
    # `sinergi create-election` and the stage-dates page (/pemilihan/<slug>/tahapan/). An
    # election's calendar holds for every district of the deployment, so no agency (whose area is
    # one district at most) may move it.
    MANAGE_REGIONS = "regions.manage"
    MANAGE_ELECTIONS = "elections.manage"
    MANAGE_ACCOUNTS = "accounts.manage"
    # An agency's administrator invites, re-invites and deactivates the users of their agency and
    # of the agencies below it in their area (which ones: accounts/hierarchy.py), on the users
    # page (docs/accounts.md). Every administrator role holds it; the area is checked per row.
    MANAGE_USERS = "accounts.users"
    # Which Polsek guards which kecamatan (one may cover several): the Polres's administrators, for
    # the kecamatan of their district (accounts.services.set_polsek_coverage).
    MANAGE_POLSEK_AREAS = "accounts.polsek_areas"
    # The situation room (docs/situation-room.md): every agency opens it and sees only its share of
    # what it shows; a PTPS in the field does not (it files, it does not watch the district).
    VIEW_SITUATION = "situation.view"
    # Coordination meetings between agencies (docs/coordination.md): the agencies of the district
    # and kecamatan read the meetings of their area; officers of Bawaslu and the Polres, and the
    # heads of KPU, Kejaksaan and Pemda, record them. An owner agency updating its own action items
    # is a check on the row in coordination/services.py, not a permission.
    VIEW_MEETINGS = "coordination.view"
    MANAGE_MEETINGS = "coordination.manage"
    # Notifications (docs/notifications.md). Every account reads its own list and subscribes its
    # browsers to push without a permission (its own rows only). A broadcast with acknowledgement
    # to the PTPS or officers of an area: Bawaslu's officers (to Panwascam, PKD and the PTPS) and
    # the Polres's (to its own officers and the Polsek), each within their area. The coverage
    # board's nudge of the PTPS that have not reported a stage: the levels of Bawaslu that watch
    # that board and command the PTPS (Bawaslu, Panwascam), for their area.
    SEND_BROADCASTS = "notifications.broadcast"
    NUDGE_PTPS = "notifications.nudge"
    # Joint monitoring visits before voting day (docs/visits.md): Bawaslu and the police visit TPS
    # together. Bawaslu, the Panwascam, the Polres and the Polsek read the visits of their area
    # (a kecamatan agency its own kecamatan only: visits.queries) and plan and record them; KPU and
    # the others do not. Applying findings to the checklist outside its collection stage is
    # AMEND_CHECKLIST (Bawaslu's district staff), not a visit's permission.
    VIEW_VISITS = "visits.view"
    MANAGE_VISITS = "visits.manage"
    # Voting-day incidents handed to the police (docs/incidents.md): the supervisors of the area
    # (Bawaslu Kabupaten, the Panwascam of the kecamatan) refer an incident to the police or close
    # it as not a police matter; the Polres and Polsek it is referred or escalated to acknowledge
    # it, record their arrival and its resolution — and read it, those incidents only.
    REFER_INCIDENTS = "incidents.refer"
    RESPOND_INCIDENTS = "incidents.respond"


_EVERY_AGENCY_READS = {Perm.VIEW_STATIONS, Perm.EXPORT_STATIONS, Perm.VIEW_RISK, Perm.VIEW_SITUATION}
_BAWASLU_RISK = {Perm.FILL_CHECKLIST, Perm.AMEND_CHECKLIST, Perm.VIEW_POLICE_CLASS, Perm.SET_RELEASE_RULES}
_BAWASLU_ROSTER = {Perm.VIEW_SUPERVISORS, Perm.MANAGE_SUPERVISORS, Perm.VIEW_PERSONAL_DATA, Perm.FILE_REPORTS, Perm.VIEW_REPORTS, Perm.RECORD_FINDINGS, Perm.REFER_INCIDENTS}
_BAWASLU_CASES = {Perm.VIEW_CASES, Perm.HANDLE_CASES, Perm.GAKKUMDU}
_POLICE = {
    Perm.SET_POLICE_CLASS,
    Perm.VIEW_POLICE_CLASS,
    Perm.VIEW_INTEL,
    Perm.ADD_INTEL,
    Perm.VIEW_GUARD_PLAN,
    Perm.VIEW_LOGISTICS,
    Perm.VIEW_VOTING_DAY,
    Perm.RESPOND_INCIDENTS,
}
_KPU = {Perm.IMPORT_STATIONS, Perm.VIEW_LOGISTICS, Perm.MANAGE_LOGISTICS}
# KPU's committees (PPK per kecamatan, PPS per village) follow the logistics of their area. They do
# not hold logistics.manage: some of its writes (kit, crossings, reserves) are the district KPU's
# and are not limited to an area, and the TPS list is imported by the district KPU.
_KPU_COMMITTEE = {Perm.VIEW_LOGISTICS}
# Coordination meetings: every district and kecamatan agency reads them; Bawaslu and Polres
# officers, and the heads of KPU, Kejaksaan and Pemda, record them.
_MEETINGS = {Perm.VIEW_MEETINGS, Perm.MANAGE_MEETINGS}
_READS_MEETINGS = {Perm.VIEW_MEETINGS}
_BROADCAST = {Perm.SEND_BROADCASTS}
_NUDGE = {Perm.NUDGE_PTPS}
# Joint monitoring visits: the supervisors' side (Bawaslu, Panwascam) and the police's (Polres,
# Polsek) plan, record and read those of their area.
_VISITS = {Perm.VIEW_VISITS, Perm.MANAGE_VISITS}

GRANTS: dict[tuple[str, str], frozenset[Perm]] = {
    (K.BAWASLU, R.ADMIN): frozenset(
        _EVERY_AGENCY_READS
        | _BAWASLU_RISK
        | _BAWASLU_ROSTER
        | _BAWASLU_CASES
        | _MEETINGS
        | _VISITS
        | {Perm.IMPORT_STATIONS, Perm.VIEW_AUDIT, Perm.VIEW_GUARD_PLAN, Perm.VIEW_LOGISTICS, Perm.MANAGE_DAYS_OFF}
    ),
    (K.BAWASLU, R.STAFF): frozenset(
        _EVERY_AGENCY_READS | _BAWASLU_RISK | _BAWASLU_ROSTER | _BAWASLU_CASES | _MEETINGS | _VISITS | {Perm.VIEW_GUARD_PLAN, Perm.VIEW_LOGISTICS}
    ),
    # Village supervisors (PKD) and the PTPS under them fill the checklists of their own area.
    (K.PKD, R.ADMIN): frozenset(
        _EVERY_AGENCY_READS | {Perm.FILL_CHECKLIST, Perm.VIEW_SUPERVISORS, Perm.FILE_REPORTS, Perm.VIEW_REPORTS, Perm.RECORD_FINDINGS, Perm.VIEW_CASES}
    ),
    (K.PKD, R.STAFF): frozenset(
        _EVERY_AGENCY_READS | {Perm.FILL_CHECKLIST, Perm.VIEW_SUPERVISORS, Perm.FILE_REPORTS, Perm.VIEW_REPORTS, Perm.RECORD_FINDINGS, Perm.VIEW_CASES}
    ),
    # The kecamatan supervisors read the roster of their kecamatan (names, posts; NIK masked).
    (K.PANWASCAM, R.ADMIN): frozenset(
        _EVERY_AGENCY_READS | _READS_MEETINGS | _VISITS | {Perm.VIEW_SUPERVISORS, Perm.VIEW_REPORTS, Perm.RECORD_FINDINGS, Perm.VIEW_CASES, Perm.REFER_INCIDENTS}
    ),
    (K.PANWASCAM, R.STAFF): frozenset(
        _EVERY_AGENCY_READS | _READS_MEETINGS | _VISITS | {Perm.VIEW_SUPERVISORS, Perm.VIEW_REPORTS, Perm.RECORD_FINDINGS, Perm.VIEW_CASES, Perm.REFER_INCIDENTS}
    ),
    # A PTPS (the PKD's field role) files Form A for the TPS of its post; it does not watch the
    # district from the situation room.
    (K.PKD, R.FIELD): frozenset((_EVERY_AGENCY_READS - {Perm.VIEW_SITUATION}) | {Perm.FILL_CHECKLIST, Perm.FILE_REPORTS}),
    # Only the police set a TPS's class and read intelligence notes.
    # The Polres sets formations and personnel; its Polsek see the plan of their area.
    # Its administrators also say which Polsek covers which kecamatan.
    (K.POLRES, R.ADMIN): frozenset(
        _EVERY_AGENCY_READS | _POLICE | _MEETINGS | _VISITS | {Perm.MANAGE_GUARD, Perm.MOVE_OFFICERS, Perm.INVESTIGATE_CASES, Perm.GAKKUMDU, Perm.MANAGE_POLSEK_AREAS}
    ),
    (K.POLRES, R.STAFF): frozenset(
        _EVERY_AGENCY_READS | _POLICE | _MEETINGS | _VISITS | {Perm.MANAGE_GUARD, Perm.MOVE_OFFICERS, Perm.CHECK_IN_POSTS, Perm.INVESTIGATE_CASES, Perm.GAKKUMDU}
    ),
    # The Kapolsek (administrator) assigns and moves the Polsek's officers between its posts; its
    # staff and field officers check in at its posts on voting day.
    (K.POLSEK, R.ADMIN): frozenset(_EVERY_AGENCY_READS | _POLICE | _READS_MEETINGS | _VISITS | {Perm.MOVE_OFFICERS, Perm.CHECK_IN_POSTS}),
    (K.POLSEK, R.STAFF): frozenset(_EVERY_AGENCY_READS | _POLICE | _READS_MEETINGS | _VISITS | {Perm.CHECK_IN_POSTS}),
    # A Polsek's field officer checks in at the posts of its Polsek from a phone; like a PTPS it
    # does not watch the district from the situation room.
    (K.POLSEK, R.FIELD): frozenset((_EVERY_AGENCY_READS - {Perm.VIEW_SITUATION}) | {Perm.CHECK_IN_POSTS}),
    # KPU owns the TPS list: its officers import it.
    (K.KPU, R.ADMIN): frozenset(_EVERY_AGENCY_READS | _KPU | _MEETINGS),
    (K.KPU, R.STAFF): frozenset(_EVERY_AGENCY_READS | _KPU | _READS_MEETINGS),
    # A PPK is a kecamatan agency (it reads the meetings of its area, like a Panwascam); a PPS a
    # village one (like a PKD, it does not).
    (K.PPK, R.ADMIN): frozenset(_EVERY_AGENCY_READS | _KPU_COMMITTEE | _READS_MEETINGS),
    (K.PPK, R.STAFF): frozenset(_EVERY_AGENCY_READS | _KPU_COMMITTEE | _READS_MEETINGS),
    (K.PPS, R.ADMIN): frozenset(_EVERY_AGENCY_READS | _KPU_COMMITTEE),
    (K.PPS, R.STAFF): frozenset(_EVERY_AGENCY_READS | _KPU_COMMITTEE),
    # The Kejaksaan Negeri sits in Sentra Gakkumdu: it prosecutes and records the courts' verdicts.
    (K.KEJAKSAAN, R.ADMIN): frozenset(_EVERY_AGENCY_READS | _MEETINGS | {Perm.PROSECUTE_CASES, Perm.GAKKUMDU}),
    (K.KEJAKSAAN, R.STAFF): frozenset(_EVERY_AGENCY_READS | _READS_MEETINGS | {Perm.PROSECUTE_CASES, Perm.GAKKUMDU}),
    (K.PEMDA, R.ADMIN): frozenset(_EVERY_AGENCY_READS | _MEETINGS),
    (K.PEMDA, R.STAFF): frozenset(_EVERY_AGENCY_READS | _READS_MEETINGS),
}
# The province and national bodies (docs/agencies.md, "Province and national bodies") read what
# their district counterparts read, over their whole area, and coordinate; they hold no write of a
# district's operational data (checklists, classes, formations, logistics, reports, cases, visits):
# those stay with the district bodies whose work it is. What they may still do: invite the users
# of the bodies below them (MANAGE_USERS, for administrators, added below). Bawaslu Provinsi and
# RI read Bawaslu's reports and cases but not NIK in full (VIEW_PERSONAL_DATA: every such read is
# the district's, audited); its administrators read the audit log of their area.
_BAWASLU_ABOVE = {
    Perm.VIEW_POLICE_CLASS,
    Perm.VIEW_SUPERVISORS,
    Perm.VIEW_REPORTS,
    Perm.VIEW_CASES,
    Perm.VIEW_GUARD_PLAN,
    Perm.VIEW_LOGISTICS,
    Perm.VIEW_MEETINGS,
    Perm.VIEW_VISITS,
}
_POLICE_ABOVE = {Perm.VIEW_POLICE_CLASS, Perm.VIEW_INTEL, Perm.VIEW_GUARD_PLAN, Perm.VIEW_LOGISTICS, Perm.VIEW_VOTING_DAY, Perm.VIEW_MEETINGS, Perm.VIEW_VISITS}
_KPU_ABOVE = {Perm.VIEW_LOGISTICS, Perm.VIEW_MEETINGS}
for _kinds, _reads in (
    ((K.BAWASLU_PROVINSI, K.BAWASLU_RI), _BAWASLU_ABOVE),
    ((K.POLDA, K.POLRI), _POLICE_ABOVE),
    ((K.KPU_PROVINSI, K.KPU_RI), _KPU_ABOVE),
):
    for _kind in _kinds:
        GRANTS[_kind, R.ADMIN] = frozenset(_EVERY_AGENCY_READS | _reads | ({Perm.VIEW_AUDIT} if _reads is _BAWASLU_ABOVE else set()))
        GRANTS[_kind, R.STAFF] = frozenset(_EVERY_AGENCY_READS | _reads)
# Broadcasts and the coverage board's nudge (see Perm above).
for _key, _extra in {
    (K.BAWASLU, R.ADMIN): _BROADCAST | _NUDGE,
    (K.BAWASLU, R.STAFF): _BROADCAST | _NUDGE,
    (K.PANWASCAM, R.ADMIN): _NUDGE,
    (K.PANWASCAM, R.STAFF): _NUDGE,
    (K.POLRES, R.ADMIN): _BROADCAST,
    (K.POLRES, R.STAFF): _BROADCAST,
}.items():
    GRANTS[_key] = GRANTS[_key] | _extra
# Every agency's administrators manage the users of their agency and those below it.
for (_kind, _role), _granted in list(GRANTS.items()):
    if _role == R.ADMIN:
        GRANTS[_kind, _role] = _granted | {Perm.MANAGE_USERS}
# Whoever reads the supervisors' reports in full also reads the voting day's status (the pages
# and the situation room check VIEW_VOTING_DAY to open, VIEW_REPORTS for what only Bawaslu reads).
for (_kind, _role), _granted in list(GRANTS.items()):
    if Perm.VIEW_REPORTS in _granted:
        GRANTS[_kind, _role] = _granted | {Perm.VIEW_VOTING_DAY}
# Every other agency and role reads the TPS registry of its own area.
_DEFAULT = frozenset(_EVERY_AGENCY_READS)


def permissions_of(user: User) -> frozenset[Perm]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Perm)
    if user.agency_id is None:
        return frozenset()
    return GRANTS.get((user.agency.kind, user.role), _DEFAULT)


def can(user: User, perm: Perm | str) -> bool:
    return Perm(perm) in permissions_of(user)


def require(user: User, perm: Perm | str) -> None:
    """Raise PermissionDenied unless `user` holds `perm`."""
    if not can(user, perm):
        raise PermissionDenied(f"missing permission {perm}")
