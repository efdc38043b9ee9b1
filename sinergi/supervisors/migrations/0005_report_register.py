"""Reports get their official number from a gap-free register per district and year
(supervisors/sealing.py). Reports numbered before keep the number they were given (their id), so
that a printed Form A still matches; the register continues after the highest of them."""

from zoneinfo import ZoneInfo

from django.db import migrations, models


def keep_issued_numbers(apps, schema_editor):
    Report = apps.get_model("supervisors", "Report")
    batch = []
    for report in Report.objects.filter(audited=True).select_related("station", "election").only("pk", "observed_at", "station__village_id", "election__time_zone").iterator(chunk_size=2000):
        local = report.observed_at.astimezone(ZoneInfo(report.election.time_zone))
        report.register, report.serial = f"{report.station.village_id[:5]}/{local:%Y}", report.pk
        batch.append(report)
        if len(batch) >= 2000:
            Report.objects.bulk_update(batch, ["register", "serial"])
            batch = []
    Report.objects.bulk_update(batch, ["register", "serial"])


class Migration(migrations.Migration):
    dependencies = [("supervisors", "0004_session_unique_start")]
    operations = [
        migrations.AddField("report", "register", models.CharField(blank=True, default="", db_default="", max_length=10)),
        migrations.AddField("report", "serial", models.PositiveIntegerField(blank=True, null=True)),
        migrations.AddConstraint("report", models.UniqueConstraint(condition=models.Q(serial__isnull=False), fields=("register", "serial"), name="report_unique_serial")),
        migrations.RunPython(keep_issued_numbers, migrations.RunPython.noop),
    ]
