"""PDF documents: an HTML template rendered by WeasyPrint (A4, DejaVu fonts, no network)."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` (extending documents/base.html) to PDF bytes."""
    from weasyprint import CSS, HTML  # imported here: loading Pango costs ~0.3 s at start-up
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context)
    stylesheet = finders.find("sinergi/documents.css")
    # Documents may only use what we ship (files) or embed (data: URIs, e.g. QR codes): anything
    # else is refused, and a refused resource stops the rendering rather than print without it.
    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher).write_pdf(stylesheets=[CSS(filename=stylesheet, url_fetcher=fetcher)])
