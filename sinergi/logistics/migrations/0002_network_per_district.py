"""The distribution network, its rules, travel times and plans belong to a district (kabupaten/kota)
of an election, not to the election as a whole.

Existing rows go to the district whose TPS the election holds (the only one, before this change a
network could serve; with several, the district of the warehouse's nearest TPS cannot be told from
the data, so the first district in code order is taken and the operator re-assigns by re-loading
the network with `sinergi network --district`). An election without TPS had a network that served
nothing: its rows are removed (a plan needs TPS; the network is loaded again with its district)."""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("place", "crossing", "vehiclegroup", "plansettings", "distributionplan", "traveltime")


def assign_districts(apps, schema_editor):
    Station = apps.get_model("stations", "Station")
    Election = apps.get_model("elections", "Election")
    for election in Election.objects.all():
        villages = Station.objects.filter(election=election).values_list("village_id", flat=True).distinct()
        districts = sorted({".".join(code.split(".")[:2]) for code in villages})
        for name in MODELS:
            model = apps.get_model("logistics", name)
            rows = model.objects.filter(election=election)
            if districts:
                rows.update(district_id=districts[0])
            elif name in ("crossing", "vehiclegroup", "distributionplan", "traveltime", "plansettings"):
                rows.delete()
        if not districts:
            apps.get_model("logistics", "place").objects.filter(election=election).delete()


def district_field(null: bool):
    return models.ForeignKey(null=null, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="regions.region", verbose_name="kabupaten/kota")


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0001_initial"),
        ("logistics", "0001_initial"),
        ("regions", "0001_initial"),
        ("stations", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="place", name="place_unique_key"),
        migrations.RemoveConstraint(model_name="crossing", name="crossing_unique_name"),
        migrations.RemoveConstraint(model_name="traveltime", name="travel_time_unique_pair"),
        migrations.AlterField(
            model_name="plansettings",
            name="election",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="elections.election"),
        ),
        *[migrations.AddField(model_name=name, name="district", field=district_field(True)) for name in MODELS],
        migrations.RunPython(assign_districts, migrations.RunPython.noop),
        *[migrations.AlterField(model_name=name, name="district", field=district_field(False)) for name in MODELS],
        migrations.AlterModelOptions(name="place", options={"ordering": ["election", "district", "kind", "name"]}),
        migrations.AlterModelOptions(name="crossing", options={"ordering": ["election", "district", "name"]}),
        migrations.AlterModelOptions(name="vehiclegroup", options={"ordering": ["election", "district", "name"]}),
        migrations.AddConstraint(model_name="place", constraint=models.UniqueConstraint(fields=("election", "district", "key"), name="place_unique_key")),
        migrations.AddConstraint(model_name="crossing", constraint=models.UniqueConstraint(fields=("election", "district", "name"), name="crossing_unique_name")),
        migrations.AddConstraint(
            model_name="traveltime", constraint=models.UniqueConstraint(fields=("election", "district", "origin", "destination"), name="travel_time_unique_pair")
        ),
        migrations.AddConstraint(model_name="plansettings", constraint=models.UniqueConstraint(fields=("election", "district"), name="plan_settings_unique_district")),
        migrations.AddIndex(model_name="distributionplan", index=models.Index(fields=["election", "district", "-created_at", "-id"], name="plan_latest_idx")),
    ]
