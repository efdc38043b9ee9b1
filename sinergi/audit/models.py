from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change, appended in the same transaction as the change itself. Never updated.

    The actor is kept by username as well as by key, so that the hashed payload does not depend
    on a row that may change; users are deactivated, never deleted (PROTECT).
    """

    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_username = models.CharField(_("pengguna"), max_length=150)
    agency = models.CharField(_("lembaga"), max_length=200, blank=True)
    action = models.CharField(_("tindakan"), max_length=60, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=60)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=200, blank=True)
    election = models.CharField(_("pemilihan"), max_length=60, blank=True)
    # The area the object belongs to (region code); empty for national objects.
    region = models.CharField(_("wilayah"), max_length=13, blank=True, db_index=True)
    changes = models.JSONField(_("perubahan"), default=dict)
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64)
    # Not indexed: the chain is checked by walking it in id order, never by looking a hash up, and
    # on voting day every index on this table is paid for by every report.
    hash = models.CharField(_("hash"), max_length=64)
    # The id of the key (AUDIT_KEY_ID) whose HMAC `hash` is; empty for events stored before the
    # chain was keyed, whose hash is plain SHA-256 (audit/chain.py).
    key_id = models.CharField(_("id kunci"), max_length=16, blank=True, default="")
    # The chain the event is in (audit/partitions.py): its object's district, "" for national
    # events and for every event chained before the trail was partitioned. Not indexed, like
    # `hash`: verify-audit walks the whole table once in id order, every partition at once.
    partition = models.CharField(_("partisi"), max_length=5, blank=True, default="")

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("peristiwa audit")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_repr}"

    def payload(self) -> dict:
        payload = {
            "at": self.at.isoformat(),
            "actor": self.actor_username,
            "agency": self.agency,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "election": self.election,
            "changes": self.changes,
        }
        if self.region:
            # Only when set, so that events chained before the field existed keep their hashes.
            payload["region"] = self.region
        if self.partition:
            # Likewise: events of the national partition (all those chained before partitions) keep theirs.
            payload["partition"] = self.partition
        return payload


class AuditHead(models.Model):
    """The row holding one partition's last hash and length (audit/partitions.py).

    Writers lock it (SELECT ... FOR UPDATE) so that the partition's events are chained one after
    another, and `verify-audit` compares with it to notice events removed from the end. It is
    sealed (`mac`, an HMAC under the key `key_id`, covering the partition too) so that nobody
    without the key can shorten the chain and fix it up. Row 1 is the national partition ""; a
    district's head is added when its first event is chained, under the national head's lock, with
    an `audit.partition` event in the national chain that records it (`audit.services`).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    partition = models.CharField(max_length=5, unique=True, default="", blank=True)
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)
    # The position (0-based) of the first keyed event: the events before it were stored before the
    # chain was keyed and are checked with the unkeyed rule. None: no event is keyed.
    keyed_from = models.BigIntegerField(null=True, blank=True)
    key_id = models.CharField(max_length=16, blank=True, default="")
    mac = models.CharField(max_length=64, blank=True, default="")
