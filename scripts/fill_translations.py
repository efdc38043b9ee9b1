"""Fill untranslated entries of locale/en/LC_MESSAGES/django.po from sinergi/locale/en/english.json.

Run after `make messages` has extracted new strings; it leaves entries not in the table
untouched (and the translation test then names them).
"""

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "sinergi" / "locale" / "en" / "LC_MESSAGES" / "django.po"

# msgid -> English, or [singular, plural]: the table a new string is added to.
ENGLISH = json.loads((PO.parent.parent / "english.json").read_text(encoding="utf-8"))


def _unquote(lines: list[str]) -> str:
    return "".join(re.match(r'^(?:msgid(?:_plural)?\s+)?"(.*)"$', line).group(1) for line in lines).replace('\\"', '"')


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def main() -> int:
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    out, missing = [], []
    for block in blocks:
        lines = block.split("\n")
        try:
            start = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
        except StopIteration:
            out.append(block)
            continue
        end = next((i for i, line in enumerate(lines) if line.startswith("msgstr") or line.startswith("msgid_plural")), len(lines))
        msgid = _unquote(lines[start:end])
        if msgid == "":
            out.append(block)
            continue
        english = ENGLISH.get(msgid)
        translated = any(re.match(r'^msgstr(\[0\])?\s+"(.+)"$', line) for line in lines)
        # A fuzzy entry is msgmerge's guess from a similar string: not a translation.
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        if english is None and translated and not fuzzy:
            out.append(block)  # translated in the .po itself
            continue
        if english is None:
            missing.append(msgid)
            out.append(block)
            continue
        head = lines[: next(i for i, line in enumerate(lines) if line.startswith("msgstr"))]
        if isinstance(english, list):
            body = [f"msgstr[0] {_quote(english[0])}", f"msgstr[1] {_quote(english[1])}"]
        else:
            body = [f"msgstr {_quote(english)}"]
        head = [line.replace("fuzzy, ", "") for line in head if line != "#, fuzzy" and not line.startswith("#|")]
        out.append("\n".join(head + body))
    PO.write_text("\n\n".join(out), encoding="utf-8")
    for msgid in missing:
        print(f"no English for: {msgid}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
