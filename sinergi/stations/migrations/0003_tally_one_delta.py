# The PostgreSQL tally trigger of 0002 applied an UPDATE's old rows, then its new rows, each in
# key order: two transactions moving TPS in opposite directions between two villages (V1 -> V2 and
# V2 -> V1) took the two villages' rows in opposite order and could deadlock. The function now
# sums an UPDATE's old rows (negated) and new rows into one delta per village and applies it once,
# villages then kecamatan, each in key order: every writer takes the rows it touches in the same
# order. Same results (tests/stations/test_village_tally.py); SQLite (row triggers, one writer at
# a time) is unchanged.

from django.db import migrations

VILLAGE, KECAMATAN = "stations_villagetally", "stations_kecamatantally"
SUMS = "stations = t.stations + excluded.stations, voters = t.voters + excluded.voters, by_sea = t.by_sea + excluded.by_sea, estimated = t.estimated + excluded.estimated"


def _rows(table: str, sign: str) -> str:
    return (
        f"SELECT election_id, village_id, {sign}1 AS n, {sign}voters AS v, {sign}(CASE WHEN access = 'laut' THEN 1 ELSE 0 END) AS b, "
        f"{sign}(CASE WHEN location_estimated THEN 1 ELSE 0 END) AS e FROM {table}"
    )


def _apply(rows: str) -> str:
    return f"""WITH delta AS (
            SELECT election_id, village_id, sum(n) AS n, sum(v) AS v, sum(b) AS b, sum(e) AS e
            FROM ({rows}) AS changed GROUP BY election_id, village_id
        ), village AS (
            INSERT INTO {VILLAGE} AS t (election_id, village_id, stations, voters, by_sea, estimated)
            SELECT election_id, village_id, n, v, b, e FROM delta ORDER BY election_id, village_id
            ON CONFLICT (election_id, village_id) DO UPDATE SET {SUMS}
            RETURNING election_id, village_id, stations
        )
        INSERT INTO {KECAMATAN} AS t (election_id, kecamatan_id, villages, stations, voters, by_sea, estimated)
        SELECT d.election_id, substr(d.village_id, 1, 8),
            sum(CASE WHEN u.stations > 0 AND u.stations - d.n <= 0 THEN 1 WHEN u.stations <= 0 AND u.stations - d.n > 0 THEN -1 ELSE 0 END),
            sum(d.n), sum(d.v), sum(d.b), sum(d.e)
        FROM delta d JOIN village u ON u.election_id = d.election_id AND u.village_id = d.village_id
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (election_id, kecamatan_id) DO UPDATE SET villages = t.villages + excluded.villages, {SUMS};"""


ONE_DELTA = f"""CREATE OR REPLACE FUNCTION stations_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_apply(_rows("new_rows", ""))}
    ELSIF TG_OP = 'DELETE' THEN
        {_apply(_rows("old_rows", "-"))}
    ELSE
        {_apply(_rows("old_rows", "-") + " UNION ALL " + _rows("new_rows", ""))}
    END IF;
    RETURN NULL;
END $$"""


def _previous() -> str:
    """0002's function, for going back."""
    import importlib

    before = importlib.import_module("sinergi.stations.migrations.0002_tallies")
    return before._postgresql_sql()[0].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ONE_DELTA)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_previous())


class Migration(migrations.Migration):
    dependencies = [("stations", "0002_tallies")]

    operations = [migrations.RunPython(forward, backward)]
