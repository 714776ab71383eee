"""The desk's starting list of sections; editors rename or extend it in the admin."""

from django.db import migrations

SECTIONS = [
    ("News", "news", "What happened today."),
    ("Features", "features", "Longer stories and explainers."),
    ("Interviews", "interviews", "Artists in their own words."),
    ("Reviews", "reviews", "Albums, singles and shows, judged."),
]


def create_sections(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    for position, (name, slug, description) in enumerate(SECTIONS):
        Section.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "position": position},
        )


def remove_sections(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    Section.objects.filter(slug__in=[slug for _, slug, _ in SECTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_editorial_workflow")]

    operations = [migrations.RunPython(create_sections, remove_sections)]
