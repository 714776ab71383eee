"""Create the staff groups of CONTRACT (Writers, Editors, Moderators) with their rights."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_groups(apps, schema_editor):
    # Permissions only exist after migrate has finished; create them now so that the
    # groups can be given them in this same run.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from newsroom.groups import sync_groups

    sync_groups(apps)


def remove_groups(apps, schema_editor):
    from newsroom.groups import GROUP_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0001_initial"),
        ("artists", "0001_initial"),
        ("discography", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
