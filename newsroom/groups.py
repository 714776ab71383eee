"""Who may do what: the staff groups of CONTRACT and their permissions.

The policy is written once, as glob patterns over ``app_label.codename``. A data
migration creates the groups; after every ``migrate`` the permissions are synced to
this policy again, so a model added later is covered without another migration.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from django.apps import apps as installed_apps

WRITERS = "Writers"
EDITORS = "Editors"
MODERATORS = "Moderators"

# pattern lists: (allowed, excluded). Object-level limits (a writer edits only their own
# stories, never publishes) are enforced in the admin and the services, not here; the
# custom permissions articles.publish_article, review_article and edit_any_article
# (Article.Meta.permissions) are what only editors hold.
GROUP_PERMISSIONS: dict[str, tuple[list[str], list[str]]] = {
    WRITERS: (
        [
            "articles.add_article",
            "articles.change_article",
            "articles.view_article",
            "articles.view_section",
            "articles.view_author",
            "articles.view_transition",
            "articles.*_byline",
            "articles.*_source",
            "articles.add_correction",
            "articles.change_correction",
            "articles.view_correction",
            "articles.view_socialpost",
            "articles.add_socialpost",
            # Live coverage: post and edit entries (on their own stories: articles.live).
            "articles.add_liveentry",
            "articles.change_liveentry",
            "articles.view_liveentry",
            "taggit.add_tag",
            "taggit.view_tag",
            "artists.view_*",
            "discography.view_*",
            # The photo desk: writers upload and use photos (and edit their own,
            # photos.admin); editors change any.
            "photos.add_photo",
            "photos.view_photo",
        ],
        [],
    ),
    EDITORS: (
        [
            "articles.*",
            "artists.*",
            "discography.*",
            "photos.*",
            "taggit.*",
        ],
        [
            # Reactions are the moderators' room; editors may read them.
            "articles.add_fanreaction",
            "articles.change_fanreaction",
            "articles.delete_fanreaction",
            "articles.moderate_fanreaction",
            "articles.*_bannedword",
            # The moderation record (flags, decisions, reader reports) is written
            # only by the services; the reaction settings row is theirs to change.
            "articles.add_reaction*",
            "articles.change_reactionflag",
            "articles.change_reactiondecision",
            "articles.change_reactionreport",
            "articles.delete_reaction*",
        ],
    ),
    MODERATORS: (
        [
            "articles.view_fanreaction",
            "articles.change_fanreaction",
            "articles.moderate_fanreaction",
            "articles.*_bannedword",
        ],
        [],
    ),
}


def permission_matches(group: str, app_label: str, codename: str) -> bool:
    """True when the policy grants ``app_label.codename`` to ``group``."""
    allowed, excluded = GROUP_PERMISSIONS[group]
    name = f"{app_label}.{codename}"
    return any(fnmatchcase(name, p) for p in allowed) and not any(
        fnmatchcase(name, p) for p in excluded
    )


def sync_groups(apps=installed_apps) -> None:
    """Create the groups and give each exactly the permissions of the policy."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.select_related("content_type"))
    for name in GROUP_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                permission
                for permission in permissions
                if permission_matches(
                    name, permission.content_type.app_label, permission.codename
                )
            ]
        )
