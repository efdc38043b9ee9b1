"""Reading generated PDFs back (pypdf) in tests: the text of each page, and which page holds a text."""

import io

from pypdf import PdfReader


def pages_of(content: bytes) -> list[str]:
    """The text of each page, whitespace collapsed to single spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def page_with(pages: list[str], text: str) -> int:
    """The (last) page holding `text`, 0-based; fails the test when no page holds it."""
    found = [n for n, page in enumerate(pages) if text in page]
    assert found, f"{text!r} is in no page"
    return found[-1]
