"""The JSON API under /api/v1/ (django-ninja); OpenAPI at /api/v1/openapi.json."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from sinergi.accounts.api_auth import API_AUTH, CsrfFailed
from sinergi.accounts.queries import TokenInvalid
from sinergi.elections.api import router as elections_router
from sinergi.guard.api import router as guard_router
from sinergi.logistics.api import router as logistics_router
from sinergi.logistics.custody import CustodyConflict
from sinergi.notifications.api import router as notifications_router
from sinergi.regions.api import router as regions_router
from sinergi.risk.api import router as risk_router
from sinergi.stations.api import router as stations_router
from sinergi.supervisors.api import incidents_router
from sinergi.supervisors.api import router as reports_router
from sinergi.supervisors.incident_flow import TransitionRefused
from sinergi.supervisors.incidents import IncidentConflict
from sinergi.supervisors.reports import ReportConflict
from sinergi.visits.api import router as visits_router


class Error(Schema):
    """401 (no valid token), 403 (the agency or role may not), 404 (no such object in your area)."""

    detail: str


class Invalid(Schema):
    """400: the request was well-formed but its content is refused, every reason in Indonesian."""

    detail: list[str]


class RequestInvalid(Schema):
    """422: the request does not fit the documented schema (a missing field, a wrong type)."""

    detail: list[dict[str, Any]]


class Conflict(Schema):
    """409: the request conflicts with what is stored: an id already used for other content
    (`fields` names what differs, as the request names it), a consignment's state, or an
    incident's state (`state`)."""

    detail: str
    fields: list[str] = []
    state: str | None = None  # an incident's step the state does not allow: where it stands now


# The error answers every endpoint can give (the handlers below, and django-ninja's own 401 and
# 422), and the extra ones of writes; documented on each operation so that a client generated
# from the schema handles them.
ERRORS = {
    400: (Invalid, "Invalid content"),
    401: (Error, "Unauthorized"),
    403: (Error, "Forbidden"),
    404: (Error, "Not found"),
    422: (RequestInvalid, "Does not fit the schema"),
}
WRITE_ERRORS = {409: (Conflict, "Conflict with what is stored")}


class SinergiAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        components = schema["components"]["schemas"]
        for model, _ in {*ERRORS.values(), *WRITE_ERRORS.values()}:
            components[model.__name__] = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                errors = ERRORS | (WRITE_ERRORS if method in ("post", "put", "patch", "delete") else {})
                for status, (model, description) in errors.items():
                    operation["responses"].setdefault(
                        status, {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}
                    )
        return schema


api = SinergiAPI(title="Sinergi API", version="1", urls_namespace="api", auth=API_AUTH, docs_url="/docs")
# Voting day's intake first: Django tries URL patterns in order, and every report pays for those before it.
api.add_router("/reports", reports_router)
api.add_router("/elections", elections_router)
api.add_router("/regions", regions_router)
api.add_router("/stations", stations_router)
api.add_router("/risk", risk_router)
api.add_router("/guard", guard_router)
api.add_router("/logistics", logistics_router)
api.add_router("/notifications", notifications_router)
api.add_router("/visits", visits_router)
api.add_router("/incidents", incidents_router)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    # A reason written for the user ("Anda hanya dapat melapor untuk TPS tempat Anda bertugas.") is
    # given as is: the field app shows it with the refused report. A missing permission names only
    # an internal permission, so it gets the generic answer.
    reason = str(exc)
    if not reason or reason.startswith("missing permission"):
        reason = "Forbidden: your agency or role may not read this."
    return api.create_response(request, {"detail": reason}, status=403)


@api.exception_handler(CsrfFailed)
def csrf_failed(request, exc):
    # A live session without a valid CSRF token: not "forbidden" but "reload, or sign in again";
    # `code` lets a client (the field app) tell it from a refusal of what it sent.
    return api.create_response(request, {"detail": str(exc.message), "code": exc.code}, status=403)


@api.exception_handler(TokenInvalid)
def token_invalid(request, exc):
    # Found out after authentication (report intake checks a cached token inside its INSERT):
    # the same answer as a token refused at the door.
    return api.create_response(request, {"detail": "Unauthorized"}, status=401)


@api.exception_handler(Http404)
def not_found(request, exc):
    # The reason, when the code gave one ("kirim laporannya lebih dulu"); Django's own otherwise.
    message = str(exc)
    return api.create_response(request, {"detail": message if message and not message.startswith("No ") else "Not Found"}, status=404)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    return api.create_response(request, {"detail": exc.messages}, status=400)


@api.exception_handler(HttpError)
def http_error(request, exc):
    # django-ninja's own refusals: 401 as documented; a body that cannot be parsed at all (400)
    # answered like any refused content, with a list of reasons.
    if exc.status_code == 400:
        return api.create_response(request, {"detail": [f"Isi permintaan tidak dapat dibaca: {exc}"]}, status=400)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(ReportConflict)
def report_conflict(request, exc):
    # `fields`: what differs from what is stored under the same id, as the request names them.
    return api.create_response(request, {"detail": str(exc), "fields": exc.fields}, status=409)


@api.exception_handler(CustodyConflict)
def custody_conflict(request, exc):
    # The request was understood but conflicts with the consignment's state: who holds it, what
    # was dispatched, whether it was already delivered.
    return api.create_response(request, {"detail": str(exc), "fields": []}, status=409)


@api.exception_handler(TransitionRefused)
def transition_refused(request, exc):
    # The incident's state does not allow this step (acknowledging one already resolved, resolving
    # one nobody reached): `state` says where it stands, so a client can reload and show it.
    return api.create_response(request, {"detail": str(exc), "fields": [], "state": exc.state}, status=409)


@api.exception_handler(IncidentConflict)
def incident_conflict(request, exc):
    # A step's client id already used for another incident or another step.
    return api.create_response(request, {"detail": str(exc), "fields": ["client_id"]}, status=409)
