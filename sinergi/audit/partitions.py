"""Which partition of the audit trail an event is chained in. No Django import.

The trail is one hash chain per district (kabupaten/kota), so that writers in different districts
do not wait for one another's chain head (voting day: every district's reports are chained in
parallel). Events about nothing below a province — elections, presets, settings, accounts of
national agencies — and every event chained before partitions existed are in the national
partition, stored as "" and named `nasional` on the command line and in messages.
"""

from sinergi.regions import codes

NATIONAL = ""
NATIONAL_NAME = "nasional"


def partition_of(region: str | None) -> str:
    """The partition of an event about `region` (a region code, or "" for a national object): the
    district of a code at district level or below, else the national partition."""
    if not region or len(region) < 5 or not codes.is_valid(region):
        return NATIONAL
    return codes.district_of(region)


def name_of(partition: str) -> str:
    """How a partition is named to people: its district code, or `nasional`."""
    return partition or NATIONAL_NAME


def parse(name: str) -> str:
    """A partition named on the command line (`nasional`, "" or a district code); ValueError otherwise."""
    if name in (NATIONAL, NATIONAL_NAME):
        return NATIONAL
    if codes.is_valid(name) and codes.level_of(name) == codes.DISTRICT:
        return name
    raise ValueError(f"{name!r} is not a partition: a district code (kabupaten/kota, e.g. 51.05) or {NATIONAL_NAME!r}")
