"""Legal deadlines of violation handling: pure computation — no Django, no database, no clock.

A deadline is a number of working days, calendar days or hours counted from an event (the day a
violation became known, the day a report was received, the hour Gakkumdu decided to forward). The
rules of each kind of election are data (`RULES`), each with its legal basis; the days off are a
`Calendar` built by the caller from the national holidays, the collective-leave days (cuti
bersama) and an administrator's extra days off.

Counting (documented in docs/cases.md):
- Where day one falls is a property of each rule, read from the statute's wording
  (`Rule.counting`): a limit worded "… sejak diketahui" counts the day of the event as **day one**
  (Bawaslu: a result set on Tue 21 May 2019 could be reported for seven working days, until Wed
  29 May 2019); a limit worded "… setelah laporan diterima" starts counting the next day (Pilkada:
  a report received on Mon 25 Nov 2024 is acted on by Thu 28 Nov 2024).
- `first_day_counts`, the deployment's override, changes only the rules worded "sejak": whether
  the day of the event is day one there is a reading; "setelah" leaves none.
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


class Counting(StrEnum):
    """Where day one falls, as the statute words the start of the limit."""

    SINCE = "sejak"  # "paling lama 7 hari sejak diketahui": the day of the event is day one
    AFTER = "setelah"  # "paling lama 3 hari setelah laporan diterima": day one is the next day


@dataclass(frozen=True)
class Rule:
    code: str
    step: str  # what must happen, in Indonesian
    amount: int
    unit: Unit
    counted_from: str  # the event the count starts from, in Indonesian
    basis: str  # the legal basis shown with the deadline
    wording: str = ""  # the statute's words for the limit, shown beside the computation
    counting: Counting = Counting.SINCE  # how those words place day one (ignored for hours)

    def first_day_counts(self, override: bool | None = None) -> bool:
        """Whether the day of the event is day one for this rule: its wording decides; `override`
        (the deployment's setting) changes only a rule worded "sejak"."""
        if self.counting == Counting.AFTER:
            return False
        return True if override is None else override


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
        if self.first_day_counts:
            first = "hari itu dihitung hari pertama"
        elif rule.counting == Counting.AFTER:
            first = "dihitung mulai hari berikutnya"
        else:  # worded "sejak", counted from the next day by the deployment's setting
            first = "dihitung mulai hari berikutnya menurut pengaturan"
        wording = f'; bunyi ketentuan: "{rule.wording}"' if rule.wording else ""
        text = f"{rule.amount} {UNIT_LABEL[rule.unit]} {rule.counting} {start} ({first}{wording}): hari terakhir {long_date(self.due)}"
        if self.skipped:
            text += "; tidak dihitung: " + "; ".join(f"{day:%d-%m} ({why})" for day, why in self.skipped)
        return text


def compute(rule: Rule, start: date | datetime, calendar: Calendar, *, first_day_counts: bool | None = None) -> Deadline:
    """The deadline of `rule` for an event at `start` (a date; a datetime for hour rules).

    Day one is where the rule's wording puts it (`Rule.counting`); `first_day_counts`, when given,
    overrides that for rules worded "sejak" only (`Rule.first_day_counts`)."""
    if rule.amount < 1:
        raise ValueError(f"{rule.code}: a deadline needs at least one unit")
    if rule.unit == Unit.HOURS:
        if not isinstance(start, datetime):
            raise TypeError(f"{rule.code}: an hour limit runs from a moment (datetime), not a day")
        return Deadline(rule, start, start + timedelta(hours=rule.amount))
    first_day_counts = rule.first_day_counts(first_day_counts)
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


def compute_all(rules: Iterable[Rule], starts: Mapping[str, date | datetime], calendar: Calendar, *, first_day_counts: bool | None = None) -> list[Deadline]:
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
S, A = Counting.SINCE, Counting.AFTER
PEMILU_RULES = (
    Rule("temuan", "Temuan pengawas ditetapkan", 7, Unit.WORKING_DAYS, KNOWN, f"{PEMILU_LAW}, Pasal 454; Perbawaslu 7/2022",
         "paling lama 7 hari kerja sejak diketahui dan/atau ditemukannya pelanggaran", S),
    Rule("laporan", "Laporan disampaikan ke Bawaslu", 7, Unit.WORKING_DAYS, KNOWN, f"{PEMILU_LAW}, Pasal 454; Perbawaslu 7/2022",
         "paling lama 7 hari kerja sejak diketahui dan/atau ditemukannya pelanggaran", S),
    Rule("kajian_awal", "Kajian awal (syarat formal dan materiel)", 2, Unit.WORKING_DAYS, RECEIVED, "Perbawaslu 7/2022",
         "paling lama 2 hari setelah laporan diterima", A),
    Rule("putusan", "Keputusan atas laporan/temuan teregistrasi", 7, Unit.WORKING_DAYS, REGISTERED, f"{PEMILU_LAW}, Pasal 454; Perbawaslu 7/2022",
         "paling lama 7 hari setelah temuan dan laporan diterima dan diregistrasi", A),
    Rule("putusan_diperpanjang", "Keputusan bila perlu keterangan tambahan", 14, Unit.WORKING_DAYS, REGISTERED, f"{PEMILU_LAW}, Pasal 454; Perbawaslu 7/2022",
         "paling lama 14 hari kerja setelah temuan dan laporan diterima dan diregistrasi", A),
    Rule("penerusan", "Dugaan tindak pidana diteruskan ke Kepolisian", 24, Unit.HOURS, FORWARDED, f"{PEMILU_LAW}, Pasal 476",
         "paling lama 1 x 24 jam sejak dinyatakan sebagai dugaan tindak pidana Pemilu", S),
    Rule("penyidikan", "Hasil penyidikan diserahkan ke penuntut umum", 14, Unit.DAYS, TO_POLICE, f"{PEMILU_LAW}, Pasal 480",
         "paling lama 14 hari sejak diterimanya laporan", S),
    # Pasal 480 names no event for the prosecutor's 3 days; they run from the file's receipt, day
    # one included, like the other limits of that article.
    Rule("pengembalian_berkas", "Berkas belum lengkap dikembalikan ke penyidik", 3, Unit.DAYS, FILE_RECEIVED, f"{PEMILU_LAW}, Pasal 480",
         "dalam waktu paling lama 3 hari (sejak berkas diterima)", S),
    Rule("penyerahan_kembali", "Berkas dilengkapi dan diserahkan kembali", 3, Unit.DAYS, FILE_RETURNED, f"{PEMILU_LAW}, Pasal 480",
         "paling lama 3 hari sejak tanggal penerimaan berkas", S),
    Rule("pelimpahan", "Perkara dilimpahkan ke pengadilan negeri", 5, Unit.DAYS, FILE_COMPLETE, f"{PEMILU_LAW}, Pasal 480",
         "paling lama 5 hari sejak menerima berkas perkara", S),
    Rule("putusan_pn", "Putusan pengadilan negeri", 7, Unit.DAYS, AT_COURT, f"{PEMILU_LAW}, Pasal 482",
         "paling lama 7 hari setelah pelimpahan berkas perkara", A),
    Rule("banding", "Permohonan banding diajukan", 3, Unit.DAYS, VERDICT, f"{PEMILU_LAW}, Pasal 482",
         "paling lama 3 hari setelah putusan dibacakan", A),
    Rule("putusan_pt", "Putusan pengadilan tinggi (terakhir dan mengikat)", 7, Unit.DAYS, APPEALED, f"{PEMILU_LAW}, Pasal 482",
         "paling lama 7 hari setelah permohonan banding diterima", A),
)  # fmt: skip

PILKADA_LAW = "UU 1/2015 jo. UU 10/2016 tentang Pemilihan Gubernur, Bupati, dan Wali Kota"
PILKADA_RULES = (
    Rule("temuan", "Temuan pengawas ditetapkan", 7, Unit.DAYS, KNOWN, f"{PILKADA_LAW}, Pasal 134",
         "paling lama 7 hari sejak diketahui dan/atau ditemukannya pelanggaran", S),
    Rule("laporan", "Laporan disampaikan ke Bawaslu", 7, Unit.DAYS, KNOWN, f"{PILKADA_LAW}, Pasal 134",
         "paling lama 7 hari sejak diketahui dan/atau ditemukannya pelanggaran", S),
    Rule("putusan", "Bawaslu menindaklanjuti laporan", 3, Unit.DAYS, RECEIVED, f"{PILKADA_LAW}, Pasal 134",
         "paling lama 3 hari setelah laporan diterima", A),
    Rule("putusan_diperpanjang", "Tindak lanjut bila perlu keterangan tambahan (3 + 2 hari)", 5, Unit.DAYS, RECEIVED, f"{PILKADA_LAW}, Pasal 134",
         "paling lama 3 hari setelah laporan diterima, ditambah paling lama 2 hari untuk keterangan tambahan", A),
)  # fmt: skip

RULES = {"pemilu": PEMILU_RULES, "pilkada": PILKADA_RULES}
