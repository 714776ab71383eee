"""Create the staff groups of CONTRACT (Writers, Editors, Moderators) with their rights.

The policy below is the one this migration shipped with, frozen here: a migration
must mean the same whenever it runs. The live policy (newsroom/groups.py) is applied
after every ``migrate`` by newsroom's post_migrate handler.
"""

from fnmatch import fnmatchcase

from django.contrib.auth.management import create_permissions
from django.db import migrations

# group: (granted patterns, refused patterns) over "app_label.codename"
POLICY = {
    "Writers": (
        [
            "articles.add_article",
            "articles.change_article",
            "articles.view_article",
            "articles.view_section",
            "articles.*_byline",
            "articles.*_source",
            "articles.view_socialpost",
            "articles.add_socialpost",
            "taggit.add_tag",
            "taggit.view_tag",
            "artists.view_*",
            "discography.view_*",
        ],
        [],
    ),
    "Editors": (
        ["articles.*", "artists.*", "discography.*", "taggit.*"],
        [
            "articles.add_fanreaction",
            "articles.change_fanreaction",
            "articles.delete_fanreaction",
            "articles.moderate_fanreaction",
            "articles.*_bannedword",
        ],
    ),
    "Moderators": (
        [
            "articles.view_fanreaction",
            "articles.change_fanreaction",
            "articles.moderate_fanreaction",
            "articles.*_bannedword",
        ],
        [],
    ),
}


def create_groups(apps, schema_editor):
    # Permissions only exist after migrate has finished; create them now so that the
    # groups can be given them in this same run.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.select_related("content_type"))
    for name, (granted, refused) in POLICY.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                permission
                for permission in permissions
                if _matches(permission, granted) and not _matches(permission, refused)
            ]
        )


def _matches(permission, patterns):
    label = f"{permission.content_type.app_label}.{permission.codename}"
    return any(fnmatchcase(label, pattern) for pattern in patterns)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=POLICY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0001_initial"),
        ("artists", "0001_initial"),
        ("discography", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
