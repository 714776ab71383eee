"""Issue 16, finding 5: a year-1 date broke the admin for everyone.

"Publish at 0001-01-01" was stored by PostgreSQL as a BC timestamp psycopg cannot
read back, and the story list, the story, the social-post list, the sitemap and
search answered 500 with nothing to fix it from. Every date and time field of our
models now refuses values outside 1900-2100 in model validation, the publish and
schedule services refuse such times, and the migrations move stored ones back into
the range.
"""

from __future__ import annotations

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DataError, connection, models, transaction
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, Correction, SocialPost
from articles.oembed import _XQuoteReader
from artists.models import Artist, Membership
from core.dates import MESSAGE, validate_plausible_date
from discography.models import MusicVideo, Release, Track
from newsroom.groups import EDITORS, WRITERS
from tests.articles.factories import ArticleFactory
from tests.articles.test_admin import form_data
from tests.artists.factories import ArtistFactory
from tests.artists.test_admin import artist_form, inline
from tests.discography.factories import ReleaseFactory, TrackFactory
from tests.discography.test_admin import release_form, track

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
OUR_APPS = ["articles", "artists", "discography", "newsroom"]


def test_every_date_and_time_field_of_ours_takes_only_1900_to_2100():
    """A field added later without the rule fails here, naming itself."""
    missing = [
        f"{model._meta.label}.{field.name}"
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.DateField)
        and validate_plausible_date not in field.validators
    ]
    assert not missing


@pytest.mark.parametrize(
    "value, ok",
    [
        (datetime.date(1, 1, 1), False),
        (datetime.date(1899, 12, 31), False),
        (datetime.date(1900, 1, 1), True),
        (datetime.date(2100, 12, 31), True),
        (datetime.date(2101, 1, 1), False),
        (datetime.date(9999, 12, 31), False),
        (datetime.datetime(1, 1, 1, tzinfo=UTC), False),
        (datetime.datetime(2024, 2, 20, 9, 0, tzinfo=UTC), True),
        (None, True),
    ],
)
def test_the_validator_and_its_message(value, ok):
    if ok:
        validate_plausible_date(value)
    else:
        with pytest.raises(ValidationError) as refused:
            validate_plausible_date(value)
        assert refused.value.messages == ["Enter a date between 1900 and 2100."]


def test_model_validation_refuses_year_one_for_scripts_too():
    artist = Artist(name="IU", slug="iu", began_on=datetime.date(1, 1, 1))
    with pytest.raises(ValidationError) as refused:
        artist.full_clean()
    assert refused.value.message_dict == {"began_on": [MESSAGE]}
    story = ArticleFactory()
    note = Correction(
        article=story, note="x", noted_at=datetime.datetime(1, 1, 1, tzinfo=UTC)
    )
    with pytest.raises(ValidationError) as refused:
        note.full_clean()
    assert refused.value.message_dict == {"noted_at": [MESSAGE]}


# ---------------------------------------------------------------- the services


@pytest.mark.parametrize(
    "at",
    [
        datetime.datetime(1, 1, 1, tzinfo=UTC),
        datetime.datetime(1899, 12, 31, 12, tzinfo=UTC),
        datetime.datetime(2101, 1, 1, tzinfo=UTC),
    ],
)
def test_publish_and_schedule_refuse_times_outside_the_range(people, at):
    story = ArticleFactory(in_review=True)
    for publish in (services.publish_article, services.approve_and_publish):
        with pytest.raises(ValidationError) as refused:
            publish(article=story, by=people[EDITORS], at=at)
        assert refused.value.messages == [MESSAGE]
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW and story.published_at is None
    assert not story.transitions.exists()


def test_a_time_just_inside_the_range_is_scheduled(people):
    story = ArticleFactory()
    at = datetime.datetime(2100, 6, 1, 9, tzinfo=UTC)
    services.publish_article(article=story, by=people[EDITORS], at=at)
    story.refresh_from_db()
    assert story.is_scheduled and story.published_at == at


# ---------------------------------------------------------------- the admin forms


def pages_still_work(client) -> None:
    for url in [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_socialpost_changelist"),
        reverse("admin:index"),
        "/sitemap.xml",
        "/search/?q=story",
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01"])
def test_editor_cannot_publish_at_an_implausible_time(client, people, day):
    story = ArticleFactory(headline="Comeback", published=False)
    client.force_login(people[EDITORS])
    url = reverse("admin:articles_article_change", args=[story.pk])
    response = client.post(
        url,
        form_data(story, _publish="1", publish_at_0=day, publish_at_1="09:00:00"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["publish_at"] == [MESSAGE]
    assert MESSAGE in response.content.decode()  # shown next to the field
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT and story.published_at is None
    pages_still_work(client)
    assert client.get(url).status_code == 200


def test_writer_cannot_date_a_correction_in_year_one(client, people):
    story = ArticleFactory(created_by=people[WRITERS], headline="Mine")
    client.force_login(people[WRITERS])
    data = form_data(
        story,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-note": "We misspelled a name.",
            "corrections-0-noted_at_0": "0001-01-01",
            "corrections-0-noted_at_1": "00:00:00",
        },
    )
    response = client.post(
        reverse("admin:articles_article_change", args=[story.pk]), data
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Correction.objects.exists()
    pages_still_work(client)


def test_writer_cannot_date_a_social_post_in_year_one(client, people):
    client.force_login(people[WRITERS])
    response = client.post(
        reverse("admin:articles_socialpost_add"),
        {
            "pasted_url": "https://x.com/iu/status/1750091641508766131",
            "posted_at_0": "0001-01-01",
            "posted_at_1": "00:00:00",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["posted_at"] == [MESSAGE]
    assert not SocialPost.objects.exists()
    pages_still_work(client)


def test_editor_cannot_enter_implausible_artist_and_membership_dates(client, people):
    client.force_login(people[EDITORS])
    response = client.post(
        reverse("admin:artists_artist_add"),
        artist_form(name="IU", kind="person", sort_name="IU", began_on="1899-05-16"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["began_on"] == [MESSAGE]
    group, person = ArtistFactory(name="BTS", group=True), ArtistFactory(name="V")
    data = artist_form(name="BTS", slug=group.slug, kind="group", sort_name="BTS")
    data.update(
        inline(
            "member_memberships",
            [
                {
                    "member": person.pk,
                    "role": "",
                    "began_on": "0001-06-13",
                    "ended_on": "",
                }
            ],
        )
    )
    response = client.post(
        reverse("admin:artists_artist_change", args=[group.pk]), data
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Membership.objects.exists()
    assert Artist.objects.count() == 2


def test_editor_cannot_enter_implausible_release_track_and_video_dates(client, people):
    client.force_login(people[EDITORS])
    iu = ArtistFactory(name="IU")
    response = client.post(
        reverse("admin:discography_release_add"),
        release_form(iu, [track(1, "Shopper")], released_on="0001-01-01"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["released_on"] == [MESSAGE]
    pre = dict(track(1, "Shopper"), pre_released_on="2101-01-01")
    response = client.post(
        reverse("admin:discography_release_add"), release_form(iu, [pre])
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Release.objects.exists() and not Track.objects.exists()
    song = TrackFactory(title="Love wins all")
    response = client.post(
        reverse("admin:discography_musicvideo_add"),
        {
            "track": song.pk,
            "title": "",
            "video_url": "https://www.youtube.com/watch?v=JleoAppaxi0",
            "director": "",
            "released_on": "1850-01-24",
            "behind_the_scenes_url": "",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["released_on"] == [MESSAGE]
    assert not MusicVideo.objects.exists()


def test_a_year_one_date_from_a_network_answer_is_not_stored():
    html = (
        '<blockquote class="twitter-tweet"><p>Hi</p>&mdash; IU (@dlwlrma) '
        '<a href="https://twitter.com/dlwlrma/status/1">January 1, 0001</a>'
        "</blockquote>"
    )
    assert _XQuoteReader.read(html) == ("Hi", None)
    good = html.replace("0001", "2024")
    assert _XQuoteReader.read(good)[1] == datetime.datetime(2024, 1, 1, 12, tzinfo=UTC)


# ---------------------------------------------------------------- stored values


def run_clamp(migration: str) -> None:
    module = importlib.import_module(migration)
    module.clamp_stored_dates(apps, SimpleNamespace(connection=connection))


def store_raw(model, pk, field: str, value: str) -> None:
    """Write a value as an older version of the site did, past the validators."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])


def test_the_migrations_move_stored_dates_back_into_the_range(client, people):
    year_one = (
        "0001-01-01 00:00:00+09"  # PostgreSQL keeps it as 0001-12-31 15:00 BC UTC
        if connection.vendor == "postgresql"
        else "0001-01-01 00:00:00"
    )
    story = ArticleFactory(published=True, headline="Dated in year one")
    store_raw(Article, story.pk, "published_at", year_one)
    far = ArticleFactory(scheduled=True, headline="Dated in 9999")
    store_raw(Article, far.pk, "published_at", "9999-12-31 00:00:00")
    release = ReleaseFactory(title="Old")
    store_raw(Release, release.pk, "released_on", "0001-01-01")
    untouched = ArticleFactory(published=True)
    kept_at = Article.objects.values_list("published_at", flat=True).get(
        pk=untouched.pk
    )

    if connection.vendor == "postgresql":
        # the breakage itself: the row cannot be read back
        with pytest.raises(DataError), transaction.atomic():
            Article.objects.get(pk=story.pk)

    run_clamp("articles.migrations.0505_plausible_dates")
    run_clamp("discography.migrations.0032_plausible_dates")
    run_clamp("artists.migrations.0032_plausible_dates")

    story.refresh_from_db()
    far.refresh_from_db()
    release.refresh_from_db()
    assert story.published_at == datetime.datetime(1900, 1, 2, tzinfo=UTC)
    assert far.published_at == datetime.datetime(2100, 12, 30, tzinfo=UTC)
    assert release.released_on == datetime.date(1900, 1, 2)
    untouched.refresh_from_db()
    assert untouched.published_at == kept_at
    # every clamped value passes the rule again, so the admin can save the row
    story.full_clean(exclude=["slug"])
    client.force_login(people[EDITORS])
    for url in [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:discography_release_changelist"),
        "/sitemap.xml",
        "/search/?q=Dated",
    ]:
        assert client.get(url).status_code == 200, url
    assert timezone.localtime(story.published_at).year == 1900
