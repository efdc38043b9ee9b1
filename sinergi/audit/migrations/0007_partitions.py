"""The audit trail becomes one chain per district (audit/partitions.py).

Every existing event stays where it was chained: in the one chain that existed, which becomes the
national partition "" (the column's default assigns it to every existing row, without rewriting
their hashes). The existing head, row 1, is that partition's head: its seal stays valid, because a
head's seal covers its partition only when the partition is not "" (chain.head_mac), and an event's
hash covers its partition only when it is not "" (AuditEvent.payload). So the chain verifies
exactly as before, and existing anchors still check against it. Only events chained from now on go
to their district's partition, whose head is opened with the first of them. Run `sinergi
verify-audit` before and after upgrading (docs/operations.md, "Audit").
"""

from django.db import migrations, models


def national_head(apps, schema_editor):
    # Row 1, created by audit.0002, is the national partition; say so explicitly (the default already did).
    apps.get_model("audit", "AuditHead").objects.filter(pk=1).update(partition="")


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_admin_labels")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="partition",
            field=models.CharField(blank=True, default="", max_length=5, verbose_name="partisi"),
        ),
        migrations.AddField(
            model_name="audithead",
            name="partition",
            field=models.CharField(blank=True, default="", max_length=5, unique=True),
        ),
        migrations.RunPython(national_head, migrations.RunPython.noop),
    ]
