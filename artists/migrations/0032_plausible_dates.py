"""Every date and time field takes only 1900-2100 (core.dates), and values
stored before that rule are moved to the nearest end of the range.

A year-1 date was stored by PostgreSQL as a BC timestamp that psycopg cannot read,
so every page meeting the row answered 500 and the row could not be fixed in the
admin. Comparing such a value in SQL works, so the rows are found and clamped
without reading them; the admin can then show and correct them. The AlterFields
change no column (only the validator)."""

import datetime

import django.utils.timezone
from django.db import migrations, models

import core.dates

APP_LABEL = "artists"

# A day inside the range from every time zone, so a clamped value re-validates.
EARLIEST_DAY, LATEST_DAY = datetime.date(1900, 1, 2), datetime.date(2100, 12, 30)
EARLIEST_TIME = datetime.datetime(1900, 1, 2, tzinfo=datetime.UTC)
LATEST_TIME = datetime.datetime(2100, 12, 30, tzinfo=datetime.UTC)


def clamp_stored_dates(apps, schema_editor):
    """Move values outside 1900-2100 to the range's ends, field by field."""
    for operation in Migration.operations:
        if not isinstance(operation, migrations.AlterField):
            continue
        model = apps.get_model(APP_LABEL, operation.model_name)
        name = operation.name
        if isinstance(model._meta.get_field(name), models.DateTimeField):
            low, high = EARLIEST_TIME, LATEST_TIME
        else:
            low, high = EARLIEST_DAY, LATEST_DAY
        rows = model._base_manager.using(schema_editor.connection.alias)
        rows.filter(**{f"{name}__lt": low}).update(**{name: low})
        rows.filter(**{f"{name}__gt": high}).update(**{name: high})


class Migration(migrations.Migration):
    dependencies = [
        ("artists", "0031_merge_0010_search_vectors_0030_photo_renditions"),
    ]

    operations = [
        migrations.RunPython(clamp_stored_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="artist",
            name="began_on",
            field=core.dates.PlausibleDateField(
                blank=True,
                help_text="Birth or formation date.",
                null=True,
                verbose_name="born or formed on",
            ),
        ),
        migrations.AlterField(
            model_name="artist",
            name="created_at",
            field=core.dates.PlausibleDateTimeField(
                default=django.utils.timezone.now, editable=False
            ),
        ),
        migrations.AlterField(
            model_name="artist",
            name="debuted_on",
            field=core.dates.PlausibleDateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="artist",
            name="updated_at",
            field=core.dates.PlausibleDateTimeField(auto_now=True),
        ),
        migrations.AlterField(
            model_name="membership",
            name="began_on",
            field=core.dates.PlausibleDateField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="membership",
            name="ended_on",
            field=core.dates.PlausibleDateField(
                blank=True,
                help_text="Leave empty while the person is a member.",
                null=True,
            ),
        ),
    ]
