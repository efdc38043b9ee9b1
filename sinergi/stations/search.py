"""What people type to find a TPS, read as a TPS number and words of its village (pure).

"TPS 17 Ped", "17 ped", "ped 17", "TPS 017", "tps17 ped", "TPS 017 Desa Ped", "No. 17 Kel. Semarapura
Kangin" all mean TPS number 17 (of a village whose name holds the words). No Django import: the
query is turned into a filter by `stations.queries.search_filter`.
"""

import re
from dataclasses import dataclass

# Words that say what kind of thing follows and are not part of any name.
FILLER = frozenset({"tps", "no", "nomor", "nmr", "desa", "ds", "kelurahan", "kel", "kec", "kecamatan"})
_TOKEN = re.compile(r"[0-9]+|[^\W0-9_]+")  # runs of ASCII digits or of other word characters: "tps017" → "tps", "017"


@dataclass(frozen=True)
class StationQuery:
    number: int | None  # the TPS number, if one was typed (leading zeros ignored)
    words: tuple[str, ...]  # lower-case words of the village (or kecamatan, or place) name, in order

    @property
    def empty(self) -> bool:
        return self.number is None and not self.words


def parse(text: str) -> StationQuery:
    """Split `text` into the TPS number (the first run of digits, at most three: a TPS number
    is 1–999; longer numbers are kept as words, e.g. a street number) and the other words,
    lower-cased, without filler words ("TPS", "desa", "no"). Never raises."""
    number = None
    words = []
    for token in _TOKEN.findall(text.casefold()):
        if token.isascii() and token.isdigit():
            if number is None and len(token.lstrip("0")) <= 3 and int(token) > 0:
                number = int(token)
            else:
                words.append(token)
        elif token not in FILLER:
            words.append(token)
    return StationQuery(number, tuple(words))
