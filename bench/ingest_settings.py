"""Settings of the ingest benchmark's server (bench/ingest.py): Sinergi's own settings, with the
baseline endpoint of bench/ingest_urls.py mounted beside the real API."""

from sinergi.settings import *  # noqa: F403

ROOT_URLCONF = "ingest_urls"
