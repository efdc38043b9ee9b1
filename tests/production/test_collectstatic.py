"""`sinergi collectstatic` with the production storage (DEBUG off), as docs/operations.md says to run it."""

import json

import pytest

pytestmark = pytest.mark.production


def test_collectstatic_succeeds_with_the_production_storage(collected_static):
    # The `collected_static` fixture runs it and fails on a non-zero exit: the manifest storage
    # rewrites every url() and sourceMappingURL it finds to a hashed name, and aborts on a reference
    # to a file that is not there (a vendored file's missing .map did, before they were stripped).
    manifest = json.loads((collected_static / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/leaflet/leaflet.js", "vendor/leaflet.markercluster/leaflet.markercluster.js", "vendor/htmx/htmx.min.js", "sinergi/sinergi.css"):
        hashed = collected_static / manifest[name]
        assert hashed.exists() and hashed.with_name(hashed.name + ".gz").exists(), name
