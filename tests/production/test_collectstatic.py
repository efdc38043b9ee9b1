"""`sinergi collectstatic` with the production storage (DEBUG off), as docs/operations.md says to run it."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

SINERGI = Path(sys.executable).with_name("sinergi")


def test_collectstatic_succeeds_with_the_production_storage(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(SECRET_KEY=secrets.token_urlsafe(50), SINERGI_VAR_DIR=str(tmp_path))
    result = subprocess.run([str(SINERGI), "collectstatic", "--no-input", "-v0"], env=env, capture_output=True, text=True, timeout=300)
    # The manifest storage rewrites every url() and sourceMappingURL it finds to a hashed name, and
    # aborts on a reference to a file that is not there (a vendored file's missing .map).
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    for name in ("vendor/leaflet/leaflet.js", "vendor/leaflet.markercluster/leaflet.markercluster.js", "vendor/htmx/htmx.min.js", "sinergi/sinergi.css"):
        hashed = tmp_path / "static" / manifest[name]
        assert hashed.exists() and hashed.with_name(hashed.name + ".gz").exists(), name
