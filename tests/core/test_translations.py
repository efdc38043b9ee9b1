"""The English catalogue is complete and its compiled .mo matches the .po."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "sinergi" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def parse_po(text: str) -> dict[str, str]:
    """msgid -> first msgstr, from the plain .po layout that makemessages writes."""
    entries = {}
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr|msgstr\[0\])\s+"(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            entries[fields["msgid"].replace('\\"', '"')] = fields.get("msgstr", fields.get("msgstr[0]", "")).replace('\\"', '"')
    return entries


def test_every_string_has_an_english_translation():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    assert len(entries) > 100
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_the_compiled_catalogue_is_up_to_date():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    with open(PO.with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, msgstr in entries.items() if compiled.gettext(msgid) != msgstr.replace("\\n", "\n")]
    assert stale == [], "run `make messages` to recompile"
