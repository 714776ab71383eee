"""Readers submit reactions: both CSRF paths, validation, honeypot and rate limit."""

from __future__ import annotations

import pytest
from django.test import Client

from articles.models import FanReaction, ReactionFlag
from tests.articles.reaction_factories import StoryFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def story():
    return StoryFactory(headline="IU on the cold shoot", slug="iu-cold-shoot")


@pytest.fixture
def reader() -> Client:
    """A browser-like client: CSRF is enforced as in production."""
    return Client(enforce_csrf_checks=True, HTTP_USER_AGENT="Mozilla/5.0 test")


def url(story) -> str:
    return f"/news/{story.slug}/reactions/"


def token_for(client: Client) -> str:
    response = client.get("/reactions/token/", **JSON)
    assert response.status_code == 200
    return response.json()["token"]


def post_with_script(client: Client, story, data: dict):
    """What reactions.js does: fetch a fresh token, then post asking for JSON."""
    return client.post(url(story), data, HTTP_X_CSRFTOKEN=token_for(client), **JSON)


def post_confirmed(client: Client, story, data: dict):
    """What a reader without JavaScript does after the confirmation page."""
    page = client.post(url(story), data)
    assert page.status_code == 200
    token = page.context["csrf_token"]
    return client.post(url(story), {**data, "csrfmiddlewaretoken": str(token)})


VALID = {
    "display_name": "Haneul",
    "message": "What a lovely interview 💜",
    "emoji": "heart",
}


def test_token_endpoint_is_never_cached(reader):
    response = reader.get("/reactions/token/")
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert len(response.json()["token"]) == 64
    assert "csrftoken" in response.cookies


def test_story_page_carries_no_per_reader_token(reader, story):
    html = reader.get(story.get_absolute_url()).content.decode()
    assert 'action="/news/iu-cold-shoot/reactions/"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in reader.get(story.get_absolute_url()).cookies


def test_valid_reaction_with_script_is_stored_pending(reader, story):
    response = post_with_script(reader, story, VALID)
    assert response.status_code == 201
    assert "awaits moderation" in response.json()["message"]
    assert "no-store" in response["Cache-Control"]
    reaction = FanReaction.objects.get()
    assert reaction.status == FanReaction.Status.PENDING
    assert (reaction.display_name, reaction.emoji) == ("Haneul", "heart")
    assert reaction.message == "What a lovely interview 💜"
    assert reaction.article == story


def test_missing_csrf_token_stores_nothing_and_asks_to_confirm(reader, story):
    response = reader.post(url(story), VALID)
    assert response.status_code == 200
    assert FanReaction.objects.count() == 0
    html = response.content.decode()
    assert "Confirm your reaction" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "What a lovely interview 💜</textarea>" in html
    assert 'value="Haneul"' in html
    assert "no-store" in response["Cache-Control"]


def test_missing_csrf_token_with_script_is_refused_as_json(reader, story):
    response = reader.post(url(story), VALID, **JSON)
    assert response.status_code == 403
    assert response.json()["status"] == "csrf"
    assert FanReaction.objects.count() == 0


def test_forged_csrf_token_is_refused(reader, story):
    token_for(reader)
    response = reader.post(url(story), VALID, HTTP_X_CSRFTOKEN="x" * 64, **JSON)
    assert response.status_code == 403
    assert FanReaction.objects.count() == 0


def test_reader_without_script_confirms_once_and_is_told_it_awaits(reader, story):
    response = post_confirmed(reader, story, VALID)
    assert response.status_code == 303
    assert response["Location"] == "/news/iu-cold-shoot/?reaction=sent#reactions"
    assert FanReaction.objects.get().message == "What a lovely interview 💜"
    page = reader.get("/news/iu-cold-shoot/?reaction=sent").content.decode()
    assert "Your reaction awaits moderation" in page


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        (
            {"display_name": "Haneul", "message": "   \n  "},
            "message",
            "Write a reaction",
        ),
        ({"display_name": "  ", "message": "Hello"}, "display_name", "Enter the name"),
        (
            {"display_name": "Haneul", "message": "가" * 501},
            "message",
            "500 characters",
        ),
        ({"display_name": "n" * 41, "message": "Hi"}, "display_name", "40 characters"),
        ({"display_name": "Haneul", "message": "Hi", "emoji": "skull"}, "emoji", ""),
    ],
)
def test_invalid_reaction_is_refused_with_the_error_by_its_field(
    reader, story, data, field, error
):
    response = post_with_script(reader, story, data)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert error in " ".join(errors[field])
    assert FanReaction.objects.count() == 0


def test_invalid_reaction_without_script_keeps_the_text_next_to_the_error(
    reader, story
):
    data = {"display_name": "Haneul", "message": "가" * 501}
    first = reader.post(url(story), data)
    token = str(first.context["csrf_token"])
    response = reader.post(url(story), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 400
    html = response.content.decode()
    assert "가" * 501 + "</textarea>" in html
    assert 'aria-describedby="reaction-message-hint reaction-message-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="reaction-message-error" role="alert"' in html
    assert "Keep your reaction to 500 characters (it has 501)" in html
    assert FanReaction.objects.count() == 0


def test_message_of_exactly_500_characters_after_trimming_is_accepted(reader, story):
    message = "  " + "b" * 500 + "\r\n"
    assert (
        post_with_script(reader, story, {**VALID, "message": message}).status_code
        == 201
    )
    assert FanReaction.objects.get().message == "b" * 500


def test_windows_line_breaks_count_once(reader, story):
    message = ("a" * 99 + "\r\n") * 5  # 500 characters once CRLF becomes LF
    response = post_with_script(reader, story, {**VALID, "message": message})
    assert response.status_code == 201
    assert len(FanReaction.objects.get().message) == 499  # the last break is trimmed


def test_honeypot_filled_is_filed_as_spam_never_shown(reader, story):
    response = post_with_script(
        reader, story, {**VALID, "leave_empty": "http://spam.test"}
    )
    assert response.status_code == 201  # robots learn nothing
    reaction = FanReaction.objects.get()
    assert reaction.status == FanReaction.Status.SPAM
    assert reaction.flags.get().code == ReactionFlag.Code.HONEYPOT
    assert reaction.decisions.get().decided_by is None
    assert "What a lovely" not in reader.get(story.get_absolute_url()).content.decode()


def test_rate_limit_refuses_beyond_the_limit_and_keeps_every_accepted_one(
    reader, story, settings
):
    settings.REACTIONS_RATE_LIMIT = 3
    for n in range(3):
        data = {**VALID, "message": f"Reaction {n}"}
        assert post_with_script(reader, story, data).status_code == 201
    refused = post_with_script(reader, story, {**VALID, "message": "One too many"})
    assert refused.status_code == 429
    assert refused.json()["status"] == "limited"
    assert int(refused["Retry-After"]) > 0
    assert sorted(FanReaction.objects.values_list("message", flat=True)) == [
        "Reaction 0",
        "Reaction 1",
        "Reaction 2",
    ]


def test_rate_limit_without_script_keeps_the_text(reader, story, settings):
    settings.REACTIONS_RATE_LIMIT = 0
    first = reader.post(url(story), VALID)
    token = str(first.context["csrf_token"])
    response = reader.post(url(story), {**VALID, "csrfmiddlewaretoken": token})
    assert response.status_code == 429
    html = response.content.decode()
    assert "several reactions in a short time" in html
    assert "What a lovely interview 💜</textarea>" in html


def test_rate_limit_is_per_fingerprint(story, settings):
    settings.REACTIONS_RATE_LIMIT = 1
    one = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.0.0.1")
    two = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.0.0.2")
    assert post_with_script(one, story, VALID).status_code == 201
    assert post_with_script(one, story, VALID).status_code == 429
    assert post_with_script(two, story, VALID).status_code == 201


def test_invalid_posts_do_not_use_up_the_limit(reader, story, settings):
    settings.REACTIONS_RATE_LIMIT = 1
    for _ in range(3):
        post_with_script(reader, story, {**VALID, "message": ""})
    assert post_with_script(reader, story, VALID).status_code == 201


def test_cache_outage_never_loses_a_reaction(reader, story, monkeypatch):
    from articles import moderation

    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(moderation.cache, "add", broken)
    assert post_with_script(reader, story, VALID).status_code == 201
    assert FanReaction.objects.count() == 1


def test_forwarded_for_header_is_not_trusted(story, settings):
    settings.REACTIONS_RATE_LIMIT = 1
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.0.0.9")
    assert post_with_script(client, story, VALID).status_code == 201
    token = token_for(client)
    spoofed = client.post(
        url(story),
        VALID,
        HTTP_X_FORWARDED_FOR="1.2.3.4",
        HTTP_X_CSRFTOKEN=token,
        **JSON,
    )
    assert spoofed.status_code == 429


def test_fingerprint_never_stores_the_address(story):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.77")
    post_with_script(client, story, VALID)
    reaction = FanReaction.objects.get()
    assert len(reaction.fingerprint) == 64
    stored = " ".join(str(v) for v in FanReaction.objects.values().get().values())
    assert "203.0.113.77" not in stored


def test_unpublished_story_takes_no_reactions(reader):
    draft = StoryFactory(status="draft")
    response = post_with_script(reader, draft, VALID)
    assert response.status_code == 404
    assert FanReaction.objects.count() == 0


def test_get_on_the_post_target_is_not_allowed(reader, story):
    assert reader.get(url(story)).status_code == 405


def test_honeypot_robots_are_rate_limited_too(reader, story, settings):
    settings.REACTIONS_RATE_LIMIT = 2
    robot = {**VALID, "leave_empty": "buy now"}
    statuses = [post_with_script(reader, story, robot).status_code for _ in range(4)]
    assert statuses == [201, 201, 429, 429]
    assert FanReaction.objects.filter(status="spam").count() == 2


def test_first_post_without_token_is_not_logged_as_an_attack(reader, story, caplog):
    with caplog.at_level("WARNING", logger="django.security.csrf"):
        reader.post(url(story), VALID)
    assert not [r for r in caplog.records if r.name == "django.security.csrf"]
    with caplog.at_level("WARNING", logger="django.security.csrf"):
        reader.post(url(story), {**VALID, "csrfmiddlewaretoken": "forged" * 6})
    assert [r for r in caplog.records if r.name == "django.security.csrf"]


def test_submission_query_count_is_bounded(
    reader, story, django_assert_max_num_queries
):
    token = token_for(reader)
    # story; savepoint; banned words; repeat; burst; artist names; byline names;
    # staff names; insert reaction; release savepoint (flags, when any, add one
    # bulk insert); the reaction settings row, once per cache lifetime
    with django_assert_max_num_queries(11):
        response = reader.post(url(story), VALID, HTTP_X_CSRFTOKEN=token, **JSON)
    assert response.status_code == 201
