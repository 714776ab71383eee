"""A per-story secret in every share link, so the links can be revoked.

The column is added empty, every existing story gets its own random secret (a
callable default would give all of them the same one), and only then does the
column become required. Share links made before this migration stop working:
they carried no secret.
"""

import uuid

from django.db import migrations, models

BATCH = 1000


def give_each_story_its_own_secret(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    stories = Article.objects.using(schema_editor.connection.alias)
    pks = list(stories.filter(preview_secret__isnull=True).values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        rows = [
            Article(pk=pk, preview_secret=uuid.uuid4())
            for pk in pks[start : start + BATCH]
        ]
        stories.bulk_update(rows, ["preview_secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0503_repair_tag_slugs"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="preview_secret",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_story_its_own_secret, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="article",
            name="preview_secret",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
    ]
