"""Who may open what: every admin URL and every public URL, per group, as a table.

The admin URLs are generated from ``admin.site._registry`` (each model's changelist,
add, change, delete and history pages, and each of its actions posted), so a model
registered later is walked too; it must then be added to ``RIGHTS`` below, or the
matrix fails and says so. The users are in the real groups the migration creates.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    Article,
    FanReaction,
    Section,
)
from articles.views.article import PREVIEW_SALT, preview_token
from newsroom.groups import EDITORS, MODERATORS, WRITERS
from tests.articles.factories import ArticleFactory
from tests.articles.test_admin import form_data

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, WRITERS, EDITORS, MODERATORS]

# What each group may do in the admin, per registered model: v(iew), a(dd), c(hange),
# d(elete), as the admin really offers it (ModelAdmin overrides included), and which
# actions it is offered. Anything not listed: nothing (every page 403).
EDITORIAL_FULL = "vacd"
RIGHTS: dict[str, dict[str, tuple[str, set[str]]]] = {
    WRITERS: {
        # new stories; another writer's published story is read-only, their drafts
        # are out of sight (own stories: below; drafts: test_story_visibility.py),
        # so the matrix opens the live story for writers
        "articles.Article": ("va", {"link_suggestions"}),
        "articles.Section": ("v", set()),
        "articles.Author": ("v", set()),
        "articles.Transition": ("v", set()),
        "articles.SocialPost": ("va", set()),
        # entries are posted from the live desk; theirs to edit on their own stories
        "articles.LiveEntry": ("v", set()),
        "taggit.Tag": ("va", set()),  # merging tags is for editors
        "artists.Agency": ("v", set()),
        "artists.Artist": ("v", set()),
        "discography.Release": ("v", set()),
        "discography.Track": ("v", set()),
        "discography.MusicVideo": ("v", set()),
        "discography.Event": ("v", set()),
        # the photo desk: writers upload and use photos, edit only their own (this
        # one is another's); editors edit any
        "photos.Photo": ("va", set()),
    },
    EDITORS: {
        "articles.Article": (
            EDITORIAL_FULL,
            {
                "publish_selected",
                "archive_selected",
                "link_suggestions",
                "delete_selected",
                "close_reactions",
                "reopen_reactions",
            },
        ),
        # the one row of site-wide reaction rules: changed, never added or deleted
        "articles.ReactionSettings": ("vc", set()),
        "articles.Section": (EDITORIAL_FULL, {"delete_selected"}),
        "articles.Author": (EDITORIAL_FULL, {"delete_selected"}),
        "articles.Transition": ("v", set()),  # the audit trail is never edited
        "articles.ArticleSlugHistory": (EDITORIAL_FULL, {"delete_selected"}),
        "articles.SocialPost": (EDITORIAL_FULL, {"fetch_details", "delete_selected"}),
        # posted from the live desk, removed as an event readers receive: no add/delete
        "articles.LiveEntry": ("vc", set()),
        # editors read reactions; deciding is the moderators' job
        "articles.FanReaction": ("v", set()),
        "taggit.Tag": (EDITORIAL_FULL, {"render_tag_form", "delete_selected"}),
        "artists.Agency": (EDITORIAL_FULL, {"delete_selected"}),
        "artists.Artist": (EDITORIAL_FULL, {"delete_selected"}),
        "discography.Release": (EDITORIAL_FULL, {"delete_selected"}),
        "discography.Track": (EDITORIAL_FULL, {"delete_selected"}),
        "discography.MusicVideo": (EDITORIAL_FULL, {"delete_selected"}),
        "discography.Event": (EDITORIAL_FULL, {"delete_selected"}),
        "photos.Photo": (EDITORIAL_FULL, {"delete_selected"}),
    },
    MODERATORS: {
        "articles.FanReaction": (
            "vc",
            {"approve", "reject", "mark_spam", "feature", "unfeature"},
        ),
        "articles.BannedWord": (EDITORIAL_FULL, {"delete_selected"}),
    },
}


def login(client: Client, role: str, people) -> None:
    if role != ANONYMOUS:
        client.force_login(people[role])


# ---------------------------------------------------------------- the admin matrix


def admin_url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def snapshot(model, pk) -> dict | None:
    row = model._default_manager.filter(pk=pk).values().first()
    return row


def expected_rights(role: str, label: str) -> tuple[str, set[str]]:
    return RIGHTS.get(role, {}).get(label, ("", set()))


def test_every_registered_model_is_in_the_table_or_closed_to_all_groups():
    """A new model is a decision: list it in RIGHTS, or it stays closed to the groups."""
    from newsroom.groups import permission_matches

    for model in admin.site._registry:
        label = model._meta.label
        for group in (WRITERS, EDITORS, MODERATORS):
            granted = any(
                permission_matches(
                    group, model._meta.app_label, f"{a}_{model._meta.model_name}"
                )
                for a in ("view", "add", "change", "delete")
            )
            listed = label in RIGHTS[group]
            assert granted == listed, (
                f"{group} {'hold' if granted else 'lack'} permissions on {label}: "
                f"add it to (or remove it from) RIGHTS in {__file__}"
            )


@pytest.mark.parametrize("role", ROLES)
def test_admin_matrix(client, role, people, things):
    login(client, role, people)
    problems: list[str] = []

    def check(method: str, url: str, expected: set[int], why: str, data=None) -> object:
        response = getattr(client, method)(url, data or {})
        if response.status_code not in expected:
            problems.append(
                f"{role} {method.upper()} {url} ({why}): {response.status_code}, "
                f"expected {sorted(expected)}"
            )
        if role == ANONYMOUS and response.status_code == 302:
            login_url = reverse("admin:login")
            if not response["Location"].startswith(login_url):
                problems.append(f"{role} {url}: redirected to {response['Location']}")
        return response

    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        rights, actions = expected_rights(role, label)
        obj = things.get(model) or model._default_manager.first()
        if role == WRITERS and model is Article:
            obj = things["live"]  # another writer's draft: not theirs to see
        pk = quote(obj.pk) if obj is not None else "999999"
        if role == ANONYMOUS:
            ok = dict.fromkeys("vacd", {302})
            no = {302}
        else:
            ok = {"v": {200}, "a": {200}, "c": {200}, "d": {200}}
            no = {403}

        def allow(letters: str, *, _rights=rights, _ok=ok, _no=no) -> set[int]:
            if role == ANONYMOUS:
                return {302}
            return _ok[letters[0]] if set(letters) & set(_rights) else _no

        check("get", admin_url(model, "changelist"), allow("vc"), f"{label} list")
        check("get", admin_url(model, "add"), allow("a"), f"{label} add")
        check("get", admin_url(model, "change", pk), allow("vc"), f"{label} change")
        check("get", admin_url(model, "delete", pk), allow("d"), f"{label} delete")
        if obj is None:
            # nothing to show: the admin sends everyone back to its index
            history = allow("vc") | ({302} if role != ANONYMOUS else set())
            check("get", admin_url(model, "history", pk), history, f"{label} history")
            continue
        check("get", admin_url(model, "history", pk), allow("vc"), f"{label} history")

        # Crafted posts where the right is missing change nothing.
        before = snapshot(model, obj.pk)
        count = model._default_manager.count()
        if "c" not in rights:
            check(
                "post",
                admin_url(model, "change", pk),
                {302} if role == ANONYMOUS else {403},
                f"{label} change POST",
            )
        if "a" not in rights:
            check(
                "post",
                admin_url(model, "add"),
                {302} if role == ANONYMOUS else {403},
                f"{label} add POST",
            )
        if "d" not in rights:
            check(
                "post",
                admin_url(model, "delete", pk),
                {302} if role == ANONYMOUS else {403},
                f"{label} delete POST",
                {"post": "yes"},
            )

        # Every action the admin knows for this model, offered or not, is posted.
        all_actions = {"delete_selected", *(name for name in model_admin.actions or ())}
        for action in sorted(all_actions):
            response = client.post(
                admin_url(model, "changelist"),
                {"action": action, ACTION_CHECKBOX_NAME: [obj.pk], "index": 0},
            )
            if action in actions:
                if response.status_code not in (200, 302):
                    problems.append(
                        f"{role} action {label}.{action}: {response.status_code}"
                    )
                continue
            if response.status_code not in (302, 403) and not (
                response.status_code == 200 and set("vc") & set(rights)
            ):
                problems.append(
                    f"{role} action {label}.{action} refused badly: {response.status_code}"
                )
            if role == ANONYMOUS:
                assert response.status_code == 302
        after = snapshot(model, obj.pk)
        if not (set("cd") & set(rights)) and not actions:
            if after != before or model._default_manager.count() != count:
                problems.append(f"{role} changed {label} without the right to")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", [WRITERS, EDITORS, MODERATORS])
def test_offered_actions_match_the_table(rf, role, people):
    """The action menu each group sees is exactly the table's, model by model."""
    request = rf.get("/admin/")
    request.user = people[role]
    for model, model_admin in admin.site._registry.items():
        rights, actions = expected_rights(role, model._meta.label)
        if not set("vc") & set(rights):
            continue
        offered = set(model_admin.get_actions(request))
        assert offered == actions, f"{role} on {model._meta.label}: {offered}"


def test_refused_actions_leave_every_object_unchanged(client, people, things):
    """Writers post the editors' and moderators' actions; nothing moves."""
    story = ArticleFactory(created_by=people[WRITERS], headline="Mine")
    reaction = things[FanReaction]
    client.force_login(people[WRITERS])
    for model, action, pk in [
        (Article, "publish_selected", story.pk),
        (Article, "archive_selected", things["live"].pk),
        (Article, "delete_selected", story.pk),
        (FanReaction, "approve", reaction.pk),
        (FanReaction, "feature", reaction.pk),
    ]:
        client.post(
            admin_url(model, "changelist"),
            {"action": action, ACTION_CHECKBOX_NAME: [pk], "index": 0, "post": "yes"},
        )
    story.refresh_from_db()
    reaction.refresh_from_db()
    things["live"].refresh_from_db()
    assert story.status == Article.Status.DRAFT and story.published_at is None
    assert things["live"].status == Article.Status.PUBLISHED
    assert reaction.status == FanReaction.Status.PENDING and not reaction.is_featured


def test_writers_link_suggestions_action_leaves_others_stories_alone(
    client, people, things
):
    """The one story action writers are offered touches only what they may edit."""
    theirs = things[Article]
    Article.objects.filter(pk=theirs.pk).update(body="<p>IU sang The Winning.</p>")
    mine = ArticleFactory(created_by=people[WRITERS], body="<p>IU on stage.</p>")
    client.force_login(people[WRITERS])
    client.post(
        admin_url(Article, "changelist"),
        {
            "action": "link_suggestions",
            ACTION_CHECKBOX_NAME: [theirs.pk, mine.pk],
            "index": 0,
        },
    )
    assert not theirs.artists.exists() and not theirs.releases.exists()
    assert list(mine.artists.values_list("slug", flat=True)) == ["iu"]


def test_editors_cannot_moderate_reactions_by_a_crafted_post(client, people, things):
    reaction = things[FanReaction]
    client.force_login(people[EDITORS])
    response = client.post(
        admin_url(FanReaction, "change", reaction.pk),
        {"decision": "approve", "reason": "", "note": ""},
    )
    assert response.status_code == 403
    client.post(
        admin_url(FanReaction, "changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [reaction.pk], "index": 0},
    )
    reaction.refresh_from_db()
    assert reaction.status == FanReaction.Status.PENDING


def test_moderators_decide_reactions(client, people, things):
    reaction = things[FanReaction]
    client.force_login(people[MODERATORS])
    response = client.post(
        admin_url(FanReaction, "changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [reaction.pk], "index": 0},
    )
    assert response.status_code == 302
    reaction.refresh_from_db()
    assert reaction.status == FanReaction.Status.APPROVED
    assert reaction.decided_by == people[MODERATORS]


# ---------------------------------------------------------------- writers' own stories


def test_writer_edits_own_draft_but_cannot_publish_feature_or_touch_others(
    client, people, things
):
    me = people[WRITERS]
    mine = ArticleFactory(created_by=me, headline="My draft")
    theirs = things[Article]
    client.force_login(me)
    url = admin_url(Article, "change", mine.pk)
    assert client.get(url).status_code == 200

    future = timezone.now() + datetime.timedelta(days=1)
    client.post(
        url,
        form_data(
            mine,
            headline="My draft, edited",
            status="published",
            is_featured="on",
            _publish="1",
            publish_at_0=future.strftime("%Y-%m-%d"),
            publish_at_1="09:00:00",
        ),
    )
    mine.refresh_from_db()
    assert mine.headline == "My draft, edited"
    assert mine.status == Article.Status.DRAFT and not mine.is_featured
    assert mine.published_at is None

    # another writer's draft: out of sight, never writable, not by any route
    response = client.post(
        admin_url(Article, "change", theirs.pk), form_data(theirs, headline="Taken")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")  # "doesn't exist"
    assert (
        client.post(
            admin_url(Article, "delete", theirs.pk), {"post": "yes"}
        ).status_code
        == 403
    )
    theirs.refresh_from_db()
    assert theirs.headline == "Bo's draft"
    # another writer's published story: readable, never writable
    live = things["live"]
    assert client.get(admin_url(Article, "change", live.pk)).status_code == 200
    response = client.post(
        admin_url(Article, "change", live.pk), form_data(live, headline="Taken")
    )
    assert response.status_code == 403
    live.refresh_from_db()
    assert live.headline == "Live story"

    # once in review, the writer's own story is closed to them too
    mine.status = Article.Status.REVIEW
    mine.save(update_fields=["status"])
    response = client.post(url, form_data(mine, headline="Sneaky edit"))
    assert response.status_code == 403


def test_writer_cannot_restore_a_revision(client, people, things):
    import reversion
    from reversion.models import Version

    story = things[Article]
    with reversion.create_revision():
        story.save()
    version = Version.objects.get_for_object(story).first()
    client.force_login(people[WRITERS])
    url = reverse("admin:articles_article_restore", args=[story.pk, version.pk])
    client.post(url)
    assert Version.objects.get_for_object(story).count() == 1


# ---------------------------------------------------------------- public URLs


def public_urls(things) -> dict[str, dict[str, int]]:
    """Reader URLs and what each role gets (same for all unless listed)."""
    live, draft = things["live"], things[Article]
    return {
        reverse("home"): {"*": 200},
        reverse("healthz"): {"*": 200},
        reverse("readyz"): {"*": 200},
        live.get_absolute_url(): {"*": 200},
        reverse("articles:detail", args=[draft.slug]): {"*": 404},
        reverse("articles:detail", args=["no-such-story"]): {"*": 404},
        reverse("articles:tag", args=["k-pop"]): {"*": 200},
        reverse("articles:tag", args=["no-such-tag"]): {"*": 404},
        reverse("articles:section", args=[things[Section].slug]): {"*": 200},
        reverse("articles:author", args=["bo"]): {"*": 200},
        reverse("artists:index"): {"*": 200},
        reverse("artists:detail", args=["iu"]): {"*": 200},
        reverse("artists:detail", args=["nobody"]): {"*": 404},
        reverse("discography:release", args=["the-winning"]): {"*": 200},
        reverse("articles:reaction_token"): {"*": 200},
        # the planning calendar: staff who read stories; a POST target to move one
        reverse("admin_calendar"): {ANONYMOUS: 302, MODERATORS: 403, "*": 200},
        reverse("admin_calendar_move", args=[live.pk]): {ANONYMOUS: 302, "*": 405},
        # staff preview: login for readers, 404 for staff who may not read the
        # story (another writer's draft, or any story for moderators)
        reverse("articles:preview", args=[draft.pk]): {
            ANONYMOUS: 302,
            WRITERS: 404,
            EDITORS: 200,
            MODERATORS: 404,
        },
        # a live story: public anyway, so any staff account may preview it
        reverse("articles:preview", args=[live.pk]): {ANONYMOUS: 302, "*": 200},
        # the read beacon takes posts only
        reverse("articles:read_beacon"): {"*": 405},
        # a story's reads chart: the same rule as its preview
        reverse("articles:story_reads", args=[draft.pk]): {
            ANONYMOUS: 302,
            WRITERS: 404,
            EDITORS: 200,
            MODERATORS: 404,
        },
        reverse("articles:story_reads", args=[live.pk]): {ANONYMOUS: 302, "*": 200},
    }


@pytest.mark.parametrize("role", ROLES)
def test_public_matrix(client, role, people, things):
    login(client, role, people)
    problems = []
    for url, expected in public_urls(things).items():
        want = expected.get(role, expected.get("*"))
        got = client.get(url).status_code
        if got != want:
            problems.append(f"{role} GET {url}: {got}, expected {want}")
    # the reaction endpoint takes posts only, and only for live stories
    draft_post = client.post(
        reverse("articles:submit_reaction", args=[things[Article].slug]),
        {"display_name": "x", "message": "y"},
    )
    if draft_post.status_code != 404:
        problems.append(f"{role} reaction to a draft: {draft_post.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_every_public_route_answers_every_role(client, role, people, things):
    """Routes the table above does not name (added later: search, feeds...) are
    walked too: without arguments every role reads them; with an unknown slug
    every role gets a 404, never a 500 or someone else's content."""
    from django.urls import resolve

    from tests.security.test_hostile_input import CONVERTER, ROUTES, fill

    login(client, role, people)
    named = {resolve(url.split("?")[0]).route for url in public_urls(things)}
    problems = []
    for route in ROUTES:
        if route.lstrip("/") in named:
            continue
        has_args = bool(CONVERTER.search(route))
        url = fill(route, "no-such-thing-zz", "999999")
        response = client.get(url)
        if "/reactions/" in route:
            wanted = {405}  # a POST target
        elif has_args:
            wanted = {404}
        else:
            wanted = {200}
        if response.status_code not in wanted:
            problems.append(f"{role} GET {url}: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_archived_story_preview_link_stops_working(client, things):
    draft = things[Article]
    token = preview_token(draft)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.ARCHIVED)
    response = client.get(reverse("articles:shared_preview", args=[token]))
    assert response.status_code == 404


def test_anonymous_preview_redirects_to_the_login(client, things):
    url = reverse("articles:preview", args=[things[Article].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# ---------------------------------------------------------------- shared preview links


def test_shared_preview_link_shows_the_draft_without_login(client, things):
    draft = things[Article]
    response = client.get(
        reverse("articles:shared_preview", args=[preview_token(draft)])
    )
    assert response.status_code == 200
    assert (
        "Bo&#39;s draft" in response.content.decode()
        or "Bo's draft" in response.content.decode()
    )
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert (
        "no-store" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )


def test_expired_preview_link_is_refused(client, things, monkeypatch):
    token = preview_token(things[Article])
    later = timezone.now().timestamp() + 60 * 60 * 73  # beyond the 72-hour lifetime
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(reverse("articles:shared_preview", args=[token]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: signing.dumps({"article": 1}, salt="another.salt"),
        lambda t: signing.dumps(
            {"article": 1}, key="not-the-secret", salt=PREVIEW_SALT
        ),
        lambda t: "not-a-token",
        lambda t: t.split(":")[0],  # payload without signature
        lambda t: t + ":extra",
    ],
    ids=["bit-flip", "wrong-salt", "wrong-key", "garbage", "unsigned", "appended"],
)
def test_tampered_preview_link_is_refused(client, things, tamper):
    token = tamper(preview_token(things[Article]))
    response = client.get(reverse("articles:shared_preview", args=[token]))
    assert response.status_code == 404


def test_preview_link_for_another_story_cannot_be_forged(client, things):
    """Changing the article id inside a valid token breaks its signature."""
    token = preview_token(things["live"])
    payload, rest = token.split(":", 1)
    forged = signing.b64_encode(b'{"article":%d}' % things[Article].pk).decode()
    response = client.get(reverse("articles:shared_preview", args=[f"{forged}:{rest}"]))
    assert response.status_code == 404
    assert payload != forged


@pytest.mark.parametrize("role", ROLES)
def test_admin_autocomplete_follows_the_table(client, role, people, things):
    """The pickers' JSON lists only models the role may read."""
    login(client, role, people)
    problems = []
    for model, model_admin in admin.site._registry.items():
        fields = list(model_admin.autocomplete_fields)
        for inline in model_admin.inlines:
            fields += [(inline.model, f) for f in inline.autocomplete_fields]
        for entry in fields:
            source, field = entry if isinstance(entry, tuple) else (model, entry)
            target = source._meta.get_field(field).related_model
            rights, _ = expected_rights(role, target._meta.label)
            if role == ANONYMOUS:
                wanted = 302
            elif set("vc") & set(rights):
                wanted = 200
            else:
                wanted = 403
            response = client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": source._meta.app_label,
                    "model_name": source._meta.model_name,
                    "field_name": field,
                    "term": "a",
                },
            )
            if response.status_code != wanted:
                problems.append(
                    f"{role} autocomplete {source._meta.label}.{field}: "
                    f"{response.status_code}, expected {wanted}"
                )
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- custom admin pages


def custom_admin_urls(things, people) -> dict[str, dict[str, int]]:
    """The admin pages beyond the five standard ones, and who may open them."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(
        user=people[EDITORS], name="phone", confirmed=False
    )
    story = things[Article]
    return {
        # deleted stories' list: editors only (restores are theirs)
        reverse("admin:articles_article_recoverlist"): {
            WRITERS: 403,
            EDITORS: 200,
            MODERATORS: 403,
        },
        reverse("admin:articles_article_recover", args=[1]): {"*": 403},
        # someone's two-factor secret: nobody but a superuser
        reverse("admin:otp_totp_totpdevice_config", args=[device.pk]): {"*": 403},
        reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk]): {"*": 403},
        reverse("admin:taggit_tag_merge_tags")
        + f"?ids={things['live'].tags.get().pk}": {
            WRITERS: 403,
            EDITORS: 200,
            MODERATORS: 403,
        },
        # another writer's draft: as if it did not exist, for writers
        reverse("admin:articles_article_history", args=[story.pk]): {
            WRITERS: 404,
            EDITORS: 200,
            MODERATORS: 403,
        },
        reverse("admin:articles_article_history", args=[things["live"].pk]): {
            WRITERS: 200,
            EDITORS: 200,
            MODERATORS: 403,
        },
    }


@pytest.mark.parametrize("role", ROLES)
def test_custom_admin_pages(client, role, people, things):
    login(client, role, people)
    problems = []
    for url, expected in custom_admin_urls(things, people).items():
        want = 302 if role == ANONYMOUS else expected.get(role, expected.get("*"))
        got = client.get(url).status_code
        if got != want:
            problems.append(f"{role} GET {url}: {got}, expected {want}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_view_on_site_only_for_objects_the_role_may_see(client, role, people, things):
    """/admin/r/<type>/<id>/ redirects to the object's page: it would give away a
    draft's address (its slug is the unpublished headline) to anyone on the staff."""
    from django.contrib.contenttypes.models import ContentType

    login(client, role, people)
    problems = []
    for model in admin.site._registry:
        obj = things.get(model)
        if obj is None or not hasattr(obj, "get_absolute_url"):
            continue
        ct = ContentType.objects.get_for_model(model)
        url = reverse("admin:view_on_site", args=[ct.pk, obj.pk])
        response = client.get(url)
        rights, _ = expected_rights(role, model._meta.label)
        if role == ANONYMOUS:
            wanted = 302
            ok = response["Location"].startswith(reverse("admin:login"))
        elif role == WRITERS and model is Article:
            wanted, ok = 404, True  # another writer's draft
        elif set("vc") & set(rights):
            wanted, ok = 302, obj.get_absolute_url() in response.get("Location", "")
        else:
            wanted, ok = 404, True
        if response.status_code != wanted or not ok:
            problems.append(f"{role} {model._meta.label}: {response.status_code}")
    assert not problems, "\n".join(problems)
    if role != ANONYMOUS:
        bogus = client.get(reverse("admin:view_on_site", args=["x", "y"]))
        assert bogus.status_code == 404
