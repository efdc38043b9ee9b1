from django.db import migrations, models

SPECIAL = {"pemilu": "6.6", "pilkada": "7.7"}


def fill_special_codes(apps, schema_editor):
    # Elections loaded before this field: the special-location indicator of their catalogue.
    RiskRules = apps.get_model("risk", "RiskRules")
    Indicator = apps.get_model("risk", "Indicator")
    for rules in RiskRules.objects.select_related("election"):
        code = SPECIAL.get(rules.election.kind)
        if code and Indicator.objects.filter(election=rules.election, code=code).exists():
            rules.special_codes = [code]
            rules.save(update_fields=["special_codes"])


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="riskrules",
            name="special_codes",
            field=models.JSONField(blank=True, default=list, verbose_name="indikator lokasi khusus"),
        ),
        migrations.RunPython(fill_special_codes, migrations.RunPython.noop),
    ]
