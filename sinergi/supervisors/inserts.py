"""How reports reach their table on voting day's hot path: one row, with the filer's post checked
in the same statement; many rows, by COPY on PostgreSQL. Both raise IntegrityError when a
`client_id` is already stored; callers (`reports.py`) turn that into the stored report."""

from django.db import connection
from django.utils import timezone

from sinergi.accounts.models import ApiToken, User
from sinergi.accounts.queries import TOKEN_VALID_SQL
from sinergi.core.db import first_row
from sinergi.supervisors.models import Assignment, Report, Supervisor

_INSERTED = ("election", "station", "stage", "client_id", "answers", "narrative", "observed_at", "received_at", "via", "filed_by", "audited")


def insert(report: Report, *, if_posted: User | None = None, token: ApiToken | None = None) -> bool:
    """INSERT `report` — with `if_posted`, only if that user holds an active post at its TPS, and
    with `token`, only if that API token is still valid: the checks and the write in one
    statement, one round trip. True if stored (`report.pk` set), False if a check failed;
    IntegrityError if its `client_id` is already stored."""
    fields = [Report._meta.get_field(name) for name in _INSERTED]
    report.received_at = timezone.now()
    params = [field.get_db_prep_save(getattr(report, field.attname), connection) for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    if if_posted is None:
        sql = f"INSERT INTO {Report._meta.db_table} ({columns}) VALUES ({marks}) RETURNING id"
    else:
        sql = (
            f"INSERT INTO {Report._meta.db_table} ({columns}) SELECT {marks} WHERE EXISTS (SELECT 1 FROM {Assignment._meta.db_table} a "
            f"JOIN {Supervisor._meta.db_table} s ON s.id = a.supervisor_id WHERE s.user_id = %s AND a.station_id = %s AND a.status IN (%s, %s))"
        )
        params += [if_posted.pk, report.station_id, *Assignment.ACTIVE]
        if token is not None:
            sql += f" AND EXISTS ({TOKEN_VALID_SQL})"
            params.append(token.pk)
        sql += " RETURNING id"
    row = first_row(sql, params)
    if row is None:
        return False
    report.pk = row[0]
    report._state.adding, report._state.db = False, connection.alias
    return True


def insert_many(reports: list[Report]) -> None:
    """Store new reports together. On PostgreSQL their ids are drawn from the table's sequence and
    the rows go by COPY — a fraction of the cost of an INSERT per row; elsewhere one bulk INSERT.
    IntegrityError if any `client_id` is already stored (nothing is then stored)."""
    if connection.vendor != "postgresql":
        Report.objects.bulk_create(reports)
        return
    now = timezone.now()
    fields = [Report._meta.get_field(name) for name in _INSERTED]
    table = Report._meta.db_table
    columns = ", ".join(connection.ops.quote_name(field.column) for field in [Report._meta.pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [len(reports)])
        ids = [row[0] for row in cursor.fetchall()]
        with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for pk, report in zip(ids, reports, strict=True):
                report.pk, report.received_at = pk, now
                copy.write_row([pk, *(field.get_db_prep_save(getattr(report, field.attname), connection) for field in fields)])
    for report in reports:
        report._state.adding, report._state.db = False, connection.alias
