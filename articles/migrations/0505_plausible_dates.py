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

APP_LABEL = "articles"

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
        ("articles", "0504_article_preview_secret"),
    ]

    operations = [
        migrations.RunPython(clamp_stored_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="created_at",
            field=core.dates.PlausibleDateTimeField(auto_now_add=True),
        ),
        migrations.AlterField(
            model_name="article",
            name="published_at",
            field=core.dates.PlausibleDateTimeField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="updated_at",
            field=core.dates.PlausibleDateTimeField(auto_now=True),
        ),
        migrations.AlterField(
            model_name="articleslughistory",
            name="changed_at",
            field=core.dates.PlausibleDateTimeField(auto_now_add=True),
        ),
        migrations.AlterField(
            model_name="bannedword",
            name="created_at",
            field=core.dates.PlausibleDateTimeField(auto_now_add=True),
        ),
        migrations.AlterField(
            model_name="correction",
            name="noted_at",
            field=core.dates.PlausibleDateTimeField(),
        ),
        migrations.AlterField(
            model_name="fanreaction",
            name="created_at",
            field=core.dates.PlausibleDateTimeField(
                default=django.utils.timezone.now, editable=False
            ),
        ),
        migrations.AlterField(
            model_name="fanreaction",
            name="decided_at",
            field=core.dates.PlausibleDateTimeField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.AlterField(
            model_name="reactiondecision",
            name="decided_at",
            field=core.dates.PlausibleDateTimeField(
                default=django.utils.timezone.now
            ),
        ),
        migrations.AlterField(
            model_name="socialpost",
            name="created_at",
            field=core.dates.PlausibleDateTimeField(auto_now_add=True),
        ),
        migrations.AlterField(
            model_name="socialpost",
            name="fetched_at",
            field=core.dates.PlausibleDateTimeField(
                blank=True,
                help_text="When details were last asked for by oEmbed.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="socialpost",
            name="posted_at",
            field=core.dates.PlausibleDateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="socialpost",
            name="updated_at",
            field=core.dates.PlausibleDateTimeField(auto_now=True),
        ),
        migrations.AlterField(
            model_name="storytopic",
            name="published_at",
            field=core.dates.PlausibleDateTimeField(),
        ),
        migrations.AlterField(
            model_name="transition",
            name="at",
            field=core.dates.PlausibleDateTimeField(auto_now_add=True),
        ),
        migrations.AlterField(
            model_name="transition",
            name="scheduled_for",
            field=core.dates.PlausibleDateTimeField(blank=True, null=True),
        ),
    ]
