"""Sinergi's URLs plus the benchmark's baseline: POST /bench/baseline takes the same JSON and the
same token as POST /api/v1/reports, and stores it as one row with one INSERT — the least a report
endpoint on this stack (gunicorn, Django, django-ninja, PostgreSQL) can do. The table is made by
bench/ingest.py; nothing of this is part of Sinergi."""

from django.db import connection
from django.urls import include, path
from ninja import NinjaAPI, Status

from sinergi.accounts.api_auth import API_AUTH
from sinergi.supervisors.api import ReportIn

baseline = NinjaAPI(title="bench", urls_namespace="bench", auth=API_AUTH, docs_url=None)


@baseline.post("/baseline", response={201: dict})
def insert_one(request, payload: ReportIn):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_baseline (client_id, station_id, body) VALUES (%s, %s, %s)", [payload.client_id, payload.station_id, payload.model_dump_json()]
        )
    return Status(201, {"client_id": str(payload.client_id)})


urlpatterns = [path("bench/", baseline.urls), path("", include("sinergi.urls"))]
