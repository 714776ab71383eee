"""The one row of site-wide reaction rules, so editors find it in the admin."""

from django.db import migrations


def create_row(apps, schema_editor):
    settings_model = apps.get_model("articles", "ReactionSettings")
    settings_model.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("articles", "0531_reports_and_planning")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
