"""Tags are case-insensitive now ("iu" is "IU"): fold today's case duplicates.

Of each group of tags whose names differ only in case, the one on most stories stays
(the oldest on a tie); every story linked to any of them keeps exactly one link to
it, and the others are deleted. Logic copied here (migrations import no live code).
"""

from collections import defaultdict

from django.db import migrations
from django.db.models import Count


def merge_case_duplicates(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    groups = defaultdict(list)
    tags = Tag.objects.annotate(links=Count("taggit_taggeditem_items")).order_by("pk")
    for tag in tags:
        groups[tag.name.lower()].append(tag)
    for group in groups.values():
        if len(group) < 2:
            continue
        kept = max(group, key=lambda tag: (tag.links, -tag.pk))
        others = [tag.pk for tag in group if tag.pk != kept.pk]
        linked = set(
            TaggedItem.objects.filter(tag=kept).values_list(
                "content_type_id", "object_id"
            )
        )
        for item in TaggedItem.objects.filter(tag_id__in=others).order_by("pk"):
            key = (item.content_type_id, item.object_id)
            if key in linked:
                item.delete()
            else:
                linked.add(key)
                item.tag_id = kept.pk
                item.save(update_fields=["tag"])
        Tag.objects.filter(pk__in=others).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0520_article_slug_is_manual"),
        ("taggit", "__latest__"),
    ]

    operations = [
        migrations.RunPython(merge_case_duplicates, migrations.RunPython.noop),
    ]
