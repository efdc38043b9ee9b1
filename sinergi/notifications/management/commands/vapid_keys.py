from django.core.management.base import BaseCommand

from sinergi.notifications.push_keys import new_key_pair


class Command(BaseCommand):
    help = "Print a new VAPID key pair for Web Push, as the environment lines WEBPUSH_VAPID_PUBLIC_KEY and WEBPUSH_VAPID_PRIVATE_KEY (docs/notifications.md)."

    def handle(self, *args, **options):
        public, private = new_key_pair()
        self.stdout.write(f"WEBPUSH_VAPID_PUBLIC_KEY={public}\nWEBPUSH_VAPID_PRIVATE_KEY={private}")
