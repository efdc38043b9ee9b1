"""The audit chain becomes keyed (audit/chain.py). Existing events keep their plain SHA-256 hashes
and an empty key id; the head records that keying begins after them and is sealed with the
configured AUDIT_KEY. Run `sinergi verify-audit` before upgrading: what this migration finds is
what it seals (docs/operations.md, "Audit")."""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models


def seal_head(apps, schema_editor):
    head = apps.get_model("audit", "AuditHead").objects.filter(pk=1).first()
    if head is None:
        return
    # The same text as chain.head_mac (a migration keeps its own copy: the module may change).
    text = f"head\n{head.count}\n{head.last_hash}\n{head.count}"
    head.keyed_from, head.key_id = head.count, settings.AUDIT_KEY_ID
    head.mac = hmac.new(settings.AUDIT_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()
    head.save()


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_fewer_indexes")]
    operations = [
        migrations.AddField("auditevent", "key_id", models.CharField(blank=True, default="", max_length=16)),
        migrations.AddField("audithead", "keyed_from", models.BigIntegerField(blank=True, null=True)),
        migrations.AddField("audithead", "key_id", models.CharField(blank=True, default="", max_length=16)),
        migrations.AddField("audithead", "mac", models.CharField(blank=True, default="", max_length=64)),
        migrations.RunPython(seal_head, migrations.RunPython.noop),
    ]
