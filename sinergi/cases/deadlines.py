"""Legal deadlines of violation handling: pure computation — no Django, no database, no clock.

A deadline is a number of working days, calendar days or hours counted from an event (the day a
violation became known, the day a report was received, the hour Gakkumdu decided to forward). The
rules of each kind of election are data (`RULES`), each with its legal basis; the days off are a
`Calendar` built by the caller from the national holidays, the collective-leave days (cuti
bersama) and an administrator's extra days off.

Counting (documented in docs/cases.md):
- Bawaslu counts the day an event happened as **day one** (`first_day_counts=True`, the default):
  for a result set on Tue 21 May 2019, seven working days end on Wed 29 May 2019. With
  `first_day_counts=False` counting starts the next day.
- Working days skip Saturdays, Sundays and the calendar's days off; an event on a day off makes the
  next working day day one.
- Calendar days count every day; a deadline may then end on a day off.
- Hours run from the event's moment: 1×24 hours after 14 Feb 2024 16.00 is 15 Feb 2024 16.00.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum


class Unit(StrEnum):
    WORKING_DAYS = "hari_kerja"
    DAYS = "hari"
    HOURS = "jam"


UNIT_LABEL = {Unit.WORKING_DAYS: "hari kerja", Unit.DAYS: "hari kalender", Unit.HOURS: "jam"}
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember")


def long_date(day: date) -> str:
    """'Selasa, 21 Mei 2019'."""
    return f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Rule:
    code: str
    step: str  # what must happen, in Indonesian
    amount: int
    unit: Unit
    counted_from: str  # the event the count starts from, in Indonesian
    basis: str  # the legal basis shown with the deadline


@dataclass(frozen=True)
class Calendar:
    """Days off besides weekends, each with its reason. Collective-leave days (cuti bersama) are
    days off only if `collective_leave_is_day_off` (a setting: they are leave taken from civil
    servants' annual allowance, not holidays, and offices keep a duty roster)."""

    holidays: Mapping[date, str] = field(default_factory=dict)
    collective_leave: Mapping[date, str] = field(default_factory=dict)
    collective_leave_is_day_off: bool = True

    def why_off(self, day: date) -> str | None:
        """Why `day` is not a working day, or None if it is one."""
        if day in self.holidays:
            return self.holidays[day]
        if self.collective_leave_is_day_off and day in self.collective_leave:
            return f"cuti bersama: {self.collective_leave[day]}"
        if day.weekday() >= 5:
            return WEEKDAYS[day.weekday()]
        return None

    def with_days_off(self, extra: Mapping[date, str]) -> "Calendar":
        return Calendar({**self.holidays, **extra}, self.collective_leave, self.collective_leave_is_day_off)


@dataclass(frozen=True)
class Deadline:
    rule: Rule
    start: date | datetime
    due: date | datetime  # the last day (inclusive) for day rules; the exact moment for hour rules
    skipped: tuple[tuple[date, str], ...] = ()  # days passed over, with why (working-day rules)
    first_day_counts: bool = True

    def is_late(self, when: date | datetime) -> bool:
        """Whether something done at `when` missed this deadline."""
        if self.rule.unit == Unit.HOURS:
            return when > self.due
        return (when.date() if isinstance(when, datetime) else when) > self.due

    def days_left(self, today: date) -> int:
        """Calendar days from `today` to the last day (0 on it, negative once overdue)."""
        due = self.due.date() if isinstance(self.due, datetime) else self.due
        return (due - today).days

    def computation(self) -> str:
        """How the deadline was computed, in Indonesian, for the page and the command."""
        rule = self.rule
        if rule.unit == Unit.HOURS:
            return f"{rule.amount} jam sejak {self.start:%d-%m-%Y %H.%M} = {self.due:%d-%m-%Y %H.%M}"
        start = long_date(self.start)
        first = "hari itu dihitung hari pertama" if self.first_day_counts else "dihitung mulai hari berikutnya"
        text = f"{rule.amount} {UNIT_LABEL[rule.unit]} sejak {start} ({first}): hari terakhir {long_date(self.due)}"
        if self.skipped:
            text += "; tidak dihitung: " + "; ".join(f"{day:%d-%m} ({why})" for day, why in self.skipped)
        return text


def compute(rule: Rule, start: date | datetime, calendar: Calendar, *, first_day_counts: bool = True) -> Deadline:
    """The deadline of `rule` for an event at `start` (a date; a datetime for hour rules)."""
    if rule.amount < 1:
        raise ValueError(f"{rule.code}: a deadline needs at least one unit")
    if rule.unit == Unit.HOURS:
        if not isinstance(start, datetime):
            raise TypeError(f"{rule.code}: an hour limit runs from a moment (datetime), not a day")
        return Deadline(rule, start, start + timedelta(hours=rule.amount), first_day_counts=first_day_counts)
    day = start.date() if isinstance(start, datetime) else start
    if not first_day_counts:
        day += timedelta(days=1)
    if rule.unit == Unit.DAYS:
        return Deadline(rule, start, day + timedelta(days=rule.amount - 1), first_day_counts=first_day_counts)
    counted, skipped = 0, []
    while True:
        why = calendar.why_off(day)
        if why is None:
            counted += 1
            if counted == rule.amount:
                return Deadline(rule, start, day, tuple(skipped), first_day_counts)
        else:
            skipped.append((day, why))
        day += timedelta(days=1)


def compute_all(rules: Iterable[Rule], starts: Mapping[str, date | datetime], calendar: Calendar, *, first_day_counts: bool = True) -> list[Deadline]:
    """Every rule whose starting event is in `starts` (keyed by `Rule.counted_from`)."""
    return [compute(rule, starts[rule.counted_from], calendar, first_day_counts=first_day_counts) for rule in rules if rule.counted_from in starts]


# The events a count starts from (Rule.counted_from).
KNOWN = "diketahui"  # the day the violation became known (or, for a finding, was found)
RECEIVED = "diterima"  # the day a report was received
REGISTERED = "diregistrasi"  # the day a report or finding was registered
FORWARDED = "diteruskan"  # the moment Sentra Gakkumdu decided a suspected crime goes to the police
TO_POLICE = "diterima_penyidik"  # the day the police received the case
FILE_RECEIVED = "berkas_diterima"  # the day the prosecutor received the police file
FILE_RETURNED = "berkas_dikembalikan"  # the day the prosecutor returned an incomplete file
FILE_COMPLETE = "berkas_lengkap"  # the day the prosecutor had a complete file
AT_COURT = "dilimpahkan"  # the day the case reached the district court
VERDICT = "putusan_pn"  # the day the district court ruled
APPEALED = "banding_diterima"  # the day the appeal reached the district court's registry

PEMILU_LAW = "UU 7/2017 tentang Pemilihan Umum"
PEMILU_RULES = (
    Rule("temuan", "Temuan pengawas ditetapkan", 7, Unit.WORKING_DAYS, KNOWN, f"{PEMILU_LAW}, Pasal 454; Perbawaslu 7/2022"),
    Rule("laporan", "Laporan disampaikan ke Bawaslu", 7, Unit.WORKING_DAYS, KNOWN, f"{PEMILU_LAW}, Pasal 454; Perbawaslu 7/2022"),
    Rule("kajian_awal", "Kajian awal (syarat formal dan materiel)", 2, Unit.WORKING_DAYS, RECEIVED, "Perbawaslu 7/2022"),
    Rule("putusan", "Keputusan atas laporan/temuan teregistrasi", 7, Unit.WORKING_DAYS, REGISTERED, f"{PEMILU_LAW}, Pasal 454; Perbawaslu 7/2022"),
    Rule("putusan_diperpanjang", "Keputusan bila perlu keterangan tambahan", 14, Unit.WORKING_DAYS, REGISTERED, f"{PEMILU_LAW}, Pasal 454; Perbawaslu 7/2022"),
    Rule("penerusan", "Dugaan tindak pidana diteruskan ke Kepolisian", 24, Unit.HOURS, FORWARDED, f"{PEMILU_LAW}, Pasal 476"),
    Rule("penyidikan", "Hasil penyidikan diserahkan ke penuntut umum", 14, Unit.DAYS, TO_POLICE, f"{PEMILU_LAW}, Pasal 480"),
    Rule("pengembalian_berkas", "Berkas belum lengkap dikembalikan ke penyidik", 3, Unit.DAYS, FILE_RECEIVED, f"{PEMILU_LAW}, Pasal 480"),
    Rule("penyerahan_kembali", "Berkas dilengkapi dan diserahkan kembali", 3, Unit.DAYS, FILE_RETURNED, f"{PEMILU_LAW}, Pasal 480"),
    Rule("pelimpahan", "Perkara dilimpahkan ke pengadilan negeri", 5, Unit.DAYS, FILE_COMPLETE, f"{PEMILU_LAW}, Pasal 480"),
    Rule("putusan_pn", "Putusan pengadilan negeri", 7, Unit.DAYS, AT_COURT, f"{PEMILU_LAW}, Pasal 482"),
    Rule("banding", "Permohonan banding diajukan", 3, Unit.DAYS, VERDICT, f"{PEMILU_LAW}, Pasal 482"),
    Rule("putusan_pt", "Putusan pengadilan tinggi (terakhir dan mengikat)", 7, Unit.DAYS, APPEALED, f"{PEMILU_LAW}, Pasal 482"),
)

PILKADA_LAW = "UU 1/2015 jo. UU 10/2016 tentang Pemilihan Gubernur, Bupati, dan Wali Kota"
PILKADA_RULES = (
    Rule("temuan", "Temuan pengawas ditetapkan", 7, Unit.DAYS, KNOWN, f"{PILKADA_LAW}, Pasal 134"),
    Rule("laporan", "Laporan disampaikan ke Bawaslu", 7, Unit.DAYS, KNOWN, f"{PILKADA_LAW}, Pasal 134"),
    Rule("putusan", "Bawaslu menindaklanjuti laporan", 3, Unit.DAYS, RECEIVED, f"{PILKADA_LAW}, Pasal 134"),
    Rule("putusan_diperpanjang", "Tindak lanjut bila perlu keterangan tambahan (3 + 2 hari)", 5, Unit.DAYS, RECEIVED, f"{PILKADA_LAW}, Pasal 134"),
)

RULES = {"pemilu": PEMILU_RULES, "pilkada": PILKADA_RULES}
