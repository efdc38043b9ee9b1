"""PDF documents: an HTML template rendered by WeasyPrint (A4, DejaVu fonts, no network)."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _no_network(url: str, *args, **kwargs):
    # Documents may only use files we ship: refuse anything else rather than fetch it.
    from weasyprint import default_url_fetcher

    if url.startswith("file://") or url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"documents do not load {url}")


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` (extending documents/base.html) to PDF bytes."""
    from weasyprint import CSS, HTML  # imported here: loading Pango costs ~0.3 s at start-up

    html = render_to_string(template_name, context)
    stylesheet = finders.find("sinergi/documents.css")
    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_network).write_pdf(stylesheets=[CSS(filename=stylesheet)])
