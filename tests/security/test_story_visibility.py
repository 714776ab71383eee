"""Issue 16, finding 2: writers read every other writer's draft and could mint a
public link to it. One rule (``ArticleQuerySet.visible_to``) now decides who sees
which story in which state, every entry point applies it, share links go only to
people who may edit the story, and they can be revoked.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import services
from articles.models import Article, Author, Byline, SocialPost, Transition
from articles.views.article import PREVIEW_SALT, PreviewSigner, preview_token
from newsroom.groups import EDITORS, MODERATORS, WRITERS
from tests.articles.factories import ArticleFactory
from tests.articles.test_admin import form_data
from tests.security.conftest import make_user

pytestmark = pytest.mark.django_db
Status = Article.Status
ROLES = [WRITERS, EDITORS, MODERATORS]


@pytest.fixture
def desk(people):
    """Bo's stories in every state, Wren's own draft, and a draft Bo wrote with
    Wren on the byline."""
    bo, wren = people["other_writer"], people[WRITERS]
    stories = {
        "bo draft": ArticleFactory(created_by=bo, headline="Bo draft"),
        "bo changes": ArticleFactory(
            created_by=bo, headline="Bo changes", status=Status.CHANGES_REQUESTED
        ),
        "bo review": ArticleFactory(
            created_by=bo, headline="Bo review", in_review=True
        ),
        "bo scheduled": ArticleFactory(
            created_by=bo, headline="Bo scheduled", scheduled=True
        ),
        "bo archived": ArticleFactory(
            created_by=bo, headline="Bo archived", archived=True
        ),
        "bo live": ArticleFactory(created_by=bo, headline="Bo live", published=True),
        "wren draft": ArticleFactory(created_by=wren, headline="Wren draft"),
        "co-written": ArticleFactory(created_by=bo, headline="Co-written draft"),
    }
    wren_author = Author.objects.create(display_name="Wren", slug="wren", user=wren)
    Byline.objects.create(article=stories["co-written"], author=wren_author)
    return stories


HIDDEN_FROM_WREN = [
    "bo draft",
    "bo changes",
    "bo review",
    "bo scheduled",
    "bo archived",
]


def headlines(queryset) -> set[str]:
    return set(queryset.values_list("headline", flat=True))


# ---------------------------------------------------------------- the rule


@pytest.mark.parametrize("role", [*ROLES, "superuser", "reader"])
def test_visible_to_is_the_rule_for_every_role(people, desk, role):
    if role == "superuser":
        user = make_user("root", None)
        user.is_superuser = True
        user.save()
    elif role == "reader":
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    else:
        user = people[role]
    seen = headlines(Article.objects.visible_to(user))
    everything = {story.headline for story in desk.values()}
    expected = {
        WRITERS: {"Bo live", "Wren draft", "Co-written draft"},
        EDITORS: everything,
        "superuser": everything,
        MODERATORS: {"Bo live"},
        "reader": {"Bo live"},
    }[role]
    assert seen == expected
    for story in desk.values():
        assert story.is_visible_to(user) == (story.headline in expected)


def test_a_staff_account_without_groups_sees_only_published(desk):
    nobody = make_user("nobody", None)
    assert headlines(Article.objects.visible_to(nobody)) == {"Bo live"}


# ---------------------------------------------------------------- entry points


def admin(name: str, *args) -> str:
    return reverse(f"admin:articles_article_{name}", args=args)


def test_writer_never_reaches_another_writers_draft_by_any_route(client, people, desk):
    wren = people[WRITERS]
    post = SocialPost.objects.create(
        platform="x", post_id="77", url="https://x.com/bo/status/77", text="Hi"
    )
    for key in HIDDEN_FROM_WREN:
        desk[key].social_posts.add(post)
        Transition.objects.create(
            article=desk[key], from_status="draft", to_status="draft", note=key
        )
    client.force_login(wren)

    listing = client.get(admin("changelist"), {"all": ""})
    assert listing.status_code == 200
    listed = {story.headline for story in listing.context["cl"].result_list}
    assert listed == {"Bo live", "Wren draft", "Co-written draft"}

    index = client.get(reverse("admin:index"))
    trail = client.get(reverse("admin:articles_transition_changelist"))
    post_page = client.get(reverse("admin:articles_socialpost_change", args=[post.pk]))
    picker = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "related_articles",
            "term": "Bo",
        },
    )
    assert [index.status_code, trail.status_code, post_page.status_code] == [200] * 3
    assert picker.status_code == 200
    assert {r["text"] for r in picker.json()["results"]} == {"Bo live"}
    content_type = ContentType.objects.get_for_model(Article)

    for key in HIDDEN_FROM_WREN:
        story = desk[key]
        pk = story.pk
        for page in (index, trail, post_page):
            assert story.headline not in page.content.decode(), (key, page)
        change = client.get(admin("change", pk))
        assert change.status_code == 302 and change["Location"] == "/admin/"
        assert client.get(admin("history", pk)).status_code == 404
        revision = client.get(admin("revision", pk, 1), follow=True)
        assert revision.status_code == 404
        assert client.get(admin("delete", pk)).status_code == 403
        assert client.post(admin("restore", pk, 1)).status_code == 404
        assert client.post(admin("revoke_share_links", pk)).status_code == 404
        assert client.get(reverse("articles:preview", args=[pk])).status_code == 404
        on_site = reverse("admin:view_on_site", args=[content_type.pk, pk])
        assert client.get(on_site).status_code == 404
        # the change list's search and filters start from the same rule
        found = client.get(admin("changelist"), {"q": story.headline})
        assert list(found.context["cl"].result_list) == []
        # and its transitions' own pages
        transition = Transition.objects.get(article=story, note=key)
        page = client.get(
            reverse("admin:articles_transition_change", args=[transition.pk])
        )
        assert page.status_code == 302


def test_editors_reach_every_story(client, people, desk):
    client.force_login(people[EDITORS])
    for story in desk.values():
        assert client.get(admin("change", story.pk)).status_code == 200
        assert client.get(admin("history", story.pk)).status_code == 200
        preview = client.get(reverse("articles:preview", args=[story.pk]))
        assert preview.status_code == 200


def test_moderators_still_get_403_not_404_on_story_pages(client, people, desk):
    """No right on stories at all: refused before the story is looked up."""
    client.force_login(people[MODERATORS])
    for story in desk.values():
        assert client.get(admin("history", story.pk)).status_code == 403
        assert client.get(admin("change", story.pk)).status_code == 403


def test_history_of_a_malformed_id_is_404(client, people):
    client.force_login(people[EDITORS])
    assert client.get("/admin/articles/article/abc/history/").status_code == 404


def test_a_bylined_writer_reads_the_draft_but_gets_no_share_link(client, people, desk):
    story = desk["co-written"]
    client.force_login(people[WRITERS])
    response = client.get(admin("change", story.pk))
    assert response.status_code == 200
    assert response.context["share_url"] == ""
    assert "Revoke share links" not in response.content.decode()
    preview = client.get(reverse("articles:preview", args=[story.pk]))
    assert preview.status_code == 200
    secret = story.preview_secret
    assert client.post(admin("revoke_share_links", story.pk)).status_code == 403
    story.refresh_from_db()
    assert story.preview_secret == secret


def test_writer_cannot_pick_a_hidden_story_as_related(client, people, desk):
    mine = desk["wren draft"]
    client.force_login(people[WRITERS])
    response = client.post(
        admin("change", mine.pk),
        form_data(mine, related_articles=[desk["bo draft"].pk, desk["bo live"].pk]),
    )
    assert response.status_code == 200
    assert "related_articles" in response.context["adminform"].form.errors
    assert not mine.related_articles.exists()


def test_writer_saving_keeps_related_stories_they_cannot_see(client, people, desk):
    """An editor linked a scheduled story; the writer's save must not unlink it,
    nor may the writer's form show its headline."""
    mine = desk["wren draft"]
    mine.related_articles.add(desk["bo scheduled"], desk["bo live"])
    client.force_login(people[WRITERS])
    page = client.get(admin("change", mine.pk))
    assert page.status_code == 200
    assert "Bo scheduled" not in page.content.decode()
    assert "Bo live" in page.content.decode()
    response = client.post(
        admin("change", mine.pk),
        form_data(mine, headline="Wren draft, edited", related_articles=[]),
    )
    assert response.status_code == 302
    assert headlines(mine.related_articles.all()) == {"Bo scheduled"}


def test_writer_changelist_queries_do_not_grow_with_stories(client, people):
    wren, bo = people[WRITERS], people["other_writer"]
    ArticleFactory.create_batch(2, created_by=wren)
    ArticleFactory.create_batch(2, created_by=bo, published=True)
    client.force_login(wren)
    url = admin("changelist")
    client.get(url)  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    ArticleFactory.create_batch(5, created_by=wren)
    ArticleFactory.create_batch(5, created_by=bo)
    ArticleFactory.create_batch(5, created_by=bo, published=True)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)


@pytest.mark.parametrize("role", [WRITERS, EDITORS])
def test_change_page_queries_do_not_grow_with_other_stories(client, people, role):
    wren, bo = people[WRITERS], people["other_writer"]
    story = ArticleFactory(created_by=wren, authors=1)
    story.related_articles.add(ArticleFactory(published=True))
    client.force_login(people[role])
    client.get(admin("change", story.pk))
    with CaptureQueriesContext(connection) as few:
        assert client.get(admin("change", story.pk)).status_code == 200
    ArticleFactory.create_batch(4, created_by=bo)
    story.related_articles.add(*ArticleFactory.create_batch(3, published=True))
    with CaptureQueriesContext(connection) as more:
        assert client.get(admin("change", story.pk)).status_code == 200
    assert len(more) == len(few)


# ---------------------------------------------------------------- share links


@pytest.mark.parametrize(
    "role, key, shown",
    [
        (WRITERS, "wren draft", True),  # own draft: may edit
        (WRITERS, "bo live", False),  # may read, not edit
        (EDITORS, "bo draft", True),
        (EDITORS, "bo review", True),
    ],
)
def test_share_link_is_shown_only_to_who_may_edit(
    client, people, desk, role, key, shown
):
    story = desk[key]
    client.force_login(people[role])
    response = client.get(admin("change", story.pk))
    assert response.status_code == 200
    html = response.content.decode()
    payload = preview_token(story).split(":")[0]  # the signed part minus the time
    assert (payload in html) is shown
    assert ("Revoke share links" in html) is shown


def test_writer_loses_the_link_once_the_story_is_in_review(client, people, desk):
    story = desk["wren draft"]
    services.submit_for_review(article=story, by=people[WRITERS])
    client.force_login(people[WRITERS])
    response = client.get(admin("change", story.pk))
    assert response.status_code == 200
    assert response.context["share_url"] == ""


def test_revoking_stops_every_earlier_link_and_is_recorded(client, people, desk):
    story = desk["wren draft"]
    old = reverse("articles:shared_preview", args=[preview_token(story)])
    assert client.get(old).status_code == 200
    version = story.version
    client.force_login(people[WRITERS])

    # a GET does nothing (the button posts)
    assert client.get(admin("revoke_share_links", story.pk)).status_code == 302
    assert client.get(old).status_code == 200

    response = client.post(admin("revoke_share_links", story.pk), follow=True)
    assert response.status_code == 200
    assert "Share links revoked" in response.content.decode()
    story.refresh_from_db()
    new = reverse("articles:shared_preview", args=[preview_token(story)])
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert preview_token(story).split(":")[0] in response.content.decode()
    assert client.get(response.context["share_url"]).status_code == 200
    assert story.version == version  # an open edit form still saves
    step = story.transitions.first()
    assert step.by == people[WRITERS]
    assert step.from_status == step.to_status == Status.DRAFT
    assert "Revoked" in step.note
    history = client.get(admin("history", story.pk))
    assert "Revoked the story" in history.content.decode()


def test_revoke_service_is_keyword_only_and_checks_rights(people, desk):
    story = desk["bo draft"]
    with pytest.raises(TypeError):
        services.revoke_share_links(story, people[EDITORS])  # type: ignore[misc]
    with pytest.raises(PermissionDenied):
        services.revoke_share_links(article=story, by=people[WRITERS])
    before = story.preview_secret
    services.revoke_share_links(article=story, by=people[EDITORS])
    story.refresh_from_db()
    assert story.preview_secret != before


def test_restoring_an_old_version_keeps_revoked_links_revoked(people, desk):
    import reversion
    from reversion.models import Version

    story = desk["bo draft"]
    with reversion.create_revision():
        story.save()
    revoked = preview_token(story)
    services.revoke_share_links(article=story, by=people[EDITORS])
    story.refresh_from_db()
    current = story.preview_secret
    version = Version.objects.get_for_object(story).first()
    restored = services.restore_revision(
        article=story, version=version, by=people[EDITORS]
    )
    restored.refresh_from_db()
    assert restored.preview_secret == current
    assert preview_token(restored) != revoked


def signed(payload, *, at: float | None = None) -> str:
    signer = PreviewSigner(salt=PREVIEW_SALT)
    if at is None:
        return signer.sign_object(payload)
    import unittest.mock

    with unittest.mock.patch("time.time", return_value=at):
        return signer.sign_object(payload)


def malformed_tokens(story: Article) -> dict[str, str]:
    secret = story.preview_secret.hex
    return {
        "future": signed(
            {"article": story.pk, "secret": secret},
            at=timezone.now().timestamp() + 3600,
        ),
        "list": signed([story.pk, secret]),
        "string": signed(f"{story.pk}"),
        "number": signed(story.pk),
        "null": signed(None),
        "pk as text": signed({"article": str(story.pk), "secret": secret}),
        "pk as float": signed({"article": story.pk + 0.0, "secret": secret}),
        "pk as bool": signed({"article": True, "secret": secret}),
        "pk negative": signed({"article": -story.pk, "secret": secret}),
        "huge pk": signed({"article": 10**30, "secret": secret}),
        "pk just past bigint": signed({"article": 2**63, "secret": secret}),
        "pk a list": signed({"article": [story.pk], "secret": secret}),
        "no pk": signed({"secret": secret}),
        "no secret": signed({"article": story.pk}),
        "old-style token": signing.dumps({"article": story.pk}, salt=PREVIEW_SALT),
        "wrong secret": signed({"article": story.pk, "secret": "0" * 32}),
        "secret not hex": signed({"article": story.pk, "secret": "zz" * 16}),
        "secret a number": signed({"article": story.pk, "secret": 12}),
        "secret a dict": signed({"article": story.pk, "secret": {"a": 1}}),
        "empty secret": signed({"article": story.pk, "secret": ""}),
        "bad timestamp": signing.Signer(salt=PREVIEW_SALT).sign(
            signing.b64_encode(b'{"article":1}').decode() + ":!!"
        ),
        "no timestamp": signing.Signer(salt=PREVIEW_SALT).sign_object(
            {"article": story.pk, "secret": secret}
        ),
        "not base64": signing.TimestampSigner(salt=PREVIEW_SALT).sign("%%%%"),
        "not json": signing.TimestampSigner(salt=PREVIEW_SALT).sign(
            signing.b64_encode(b"{not json").decode()
        ),
        "bad compression": signing.TimestampSigner(salt=PREVIEW_SALT).sign(
            "." + signing.b64_encode(b"not zlib").decode()
        ),
    }


def test_every_malformed_share_token_is_a_404(client, desk):
    story = desk["bo draft"]
    good = preview_token(story)
    assert (
        client.get(reverse("articles:shared_preview", args=[good])).status_code == 200
    )
    problems = []
    for name, token in malformed_tokens(story).items():
        response = client.get(reverse("articles:shared_preview", args=[token]))
        if response.status_code != 404:
            problems.append(f"{name}: {response.status_code}")
    assert not problems


def test_a_link_from_a_slightly_fast_clock_still_works(client, desk):
    story = desk["bo draft"]
    token = signed(
        {"article": story.pk, "secret": story.preview_secret.hex},
        at=timezone.now().timestamp() + 20,
    )
    assert (
        client.get(reverse("articles:shared_preview", args=[token])).status_code == 200
    )


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["article", "secret", "x"]), inner, max_size=3
        )
    ),
    max_leaves=8,
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(payload=JSON)
def test_any_signed_payload_but_the_real_one_is_a_404(client, desk, payload):
    story = desk["bo draft"]
    token = signed(payload)
    response = client.get(reverse("articles:shared_preview", args=[token]))
    real = {"article": story.pk, "secret": story.preview_secret.hex}
    assert response.status_code == (200 if payload == real else 404), json.dumps(
        payload
    )


def test_share_link_expires_after_three_days(client, desk):
    story = desk["bo draft"]
    token = signed(
        {"article": story.pk, "secret": story.preview_secret.hex},
        at=(timezone.now() - datetime.timedelta(hours=73)).timestamp(),
    )
    assert (
        client.get(reverse("articles:shared_preview", args=[token])).status_code == 404
    )


# ---------------------------------------------------------------- the migration


@pytest.mark.django_db(transaction=True)
def test_migration_gives_each_existing_story_its_own_secret():
    from django.db.migrations.executor import MigrationExecutor

    before = [("articles", "0502_story_topics")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldArticle = old_apps.get_model("articles", "Article")
    for n in range(3):
        OldArticle.objects.create(headline=f"Old {n}", slug=f"old-{n}", body="")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    secrets = list(Article.objects.values_list("preview_secret", flat=True))
    assert len(secrets) == 3 and len(set(secrets)) == 3 and None not in secrets
