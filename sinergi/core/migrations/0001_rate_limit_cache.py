"""The database cache's table, where django-ratelimit counts requests per address
(sinergi/core/ratelimits.py). `sinergi createcachetable` does the same; a migration makes every
deployment and the test database have it without another step."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
