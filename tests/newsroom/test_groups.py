import pytest
from django.contrib.auth.models import Group

from newsroom.groups import EDITORS, MODERATORS, WRITERS, permission_matches

pytestmark = pytest.mark.django_db


def test_migrations_create_the_three_staff_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        WRITERS,
        EDITORS,
        MODERATORS,
    }


def codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_writers_write_articles_but_cannot_delete_them():
    perms = codenames(WRITERS)
    assert {"articles.add_article", "articles.change_article"} <= perms
    assert "articles.delete_article" not in perms
    assert not any(p.startswith("artists.change") for p in perms)


def test_editors_have_everything_editorial():
    perms = codenames(EDITORS)
    assert {
        "articles.delete_article",
        "artists.change_artist",
        "discography.change_release",
        "discography.change_track",
    } <= perms


def test_moderators_get_nothing_outside_fan_reactions():
    perms = codenames(MODERATORS)
    assert all("fanreaction" in p or "bannedword" in p for p in perms)


def test_policy_excludes_win_over_wildcards():
    assert permission_matches(EDITORS, "articles", "change_article")
    assert not permission_matches(EDITORS, "articles", "moderate_fanreaction")
    assert not permission_matches(MODERATORS, "articles", "change_article")
