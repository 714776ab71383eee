"""Give every tag whose slug makes no address (empty, or not a slug) a usable one.

A tag named with symbols only ("💜") was stored with the slug "", and every page
linking it answered 500. Each such tag gets the slug articles/tags.py now makes for
new tags: its name in its own script, else the Unicode names of its symbols
("purple-heart"), else "tag"; with -2, -3... when another tag has it. Working slugs
are left alone, so no address that answers today changes.

The rule is copied here rather than imported, so that this migration means the same
thing however the application's code changes later.
"""

import re
import unicodedata

from django.db import migrations
from django.utils.text import slugify

USABLE = re.compile(r"^[-\w]+\Z")
MAX_LENGTH = 100  # taggit's Tag.slug
FALLBACK = "tag"
MODIFIERS = range(0x1F3FB, 0x1F400)
REGIONAL_A, REGIONAL_Z = 0x1F1E6, 0x1F1FF


def symbol_slug(text):
    words, flag = [], ""
    for char in unicodedata.normalize("NFC", text or ""):
        code = ord(char)
        if REGIONAL_A <= code <= REGIONAL_Z:
            flag += chr(ord("a") + code - REGIONAL_A)
            if len(flag) == 2:
                words.append(f"flag {flag}")
                flag = ""
            continue
        if unicodedata.category(char)[0] in "CMZ" or code in MODIFIERS:
            continue
        name = unicodedata.name(char, "")
        if name and (not words or words[-1] != name):
            words.append(name)
    return slugify(" ".join(words))


def tag_slug(name):
    text = unicodedata.normalize("NFKC", name or "")
    slug = slugify(text, allow_unicode=True) or symbol_slug(text) or FALLBACK
    if len(slug) > MAX_LENGTH:
        cut = slug[: MAX_LENGTH + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:MAX_LENGTH]
    return slug.strip("-_") or FALLBACK


def repair_tag_slugs(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    tags = Tag.objects.using(schema_editor.connection.alias)
    slugs = dict(tags.values_list("pk", "slug"))
    taken = set(slugs.values())
    broken = sorted(pk for pk, slug in slugs.items() if not USABLE.match(slug or ""))
    for tag in tags.filter(pk__in=broken).order_by("pk"):
        base = tag_slug(tag.name)
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            suffix = f"-{number}"
            candidate = base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        taken.add(candidate)
        tag.slug = candidate
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0502_story_topics"),
        (
            "taggit",
            "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx",
        ),
    ]

    operations = [
        migrations.RunPython(repair_tag_slugs, migrations.RunPython.noop, elidable=True),
    ]
