"""Never lose work: the working copy, and a refused save keeping the picture."""

import re

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, WorkingCopy
from tests.articles.factories import ArticleFactory, writer
from tests.articles.test_admin import ADD_URL, change_url, form_data
from tests.photos.factories import make_photo

pytestmark = pytest.mark.django_db
NEW_COPY_URL = reverse("admin:articles_article_working_copy_new")


def copy_url(story):
    return reverse("admin:articles_article_working_copy", args=[story.pk])


def test_autosave_keeps_a_copy_without_touching_the_story_or_its_history(client):
    alice = writer()
    story = ArticleFactory(created_by=alice, headline="Saved headline")
    client.force_login(alice)
    data = form_data(story, headline="Typed, not saved", action="save")
    for _ in range(3):  # every few seconds
        response = client.post(copy_url(story), data)
        assert response.status_code == 200 and "saved_at" in response.json()
    story.refresh_from_db()
    assert story.headline == "Saved headline" and story.version == 1
    assert not Version.objects.get_for_object(story).exists()
    copy = WorkingCopy.objects.get()
    assert (copy.user, copy.article) == (alice, story)
    assert copy.data["headline"] == "Typed, not saved"
    assert "csrfmiddlewaretoken" not in copy.data and "action" not in copy.data


def test_opening_the_story_again_offers_the_copy_and_restores_it(client):
    alice = writer()
    story = ArticleFactory(created_by=alice, headline="Saved headline")
    client.force_login(alice)
    client.post(copy_url(story), form_data(story, headline="헤드라인 고침"))
    page = client.get(change_url(story)).content.decode()
    assert "You have unsaved changes" in page and "?restore=1" in page
    assert "Saved headline</textarea>" in page
    page = client.get(change_url(story) + "?restore=1").content.decode()
    assert "Restored your unsaved changes" in page
    assert "헤드라인 고침</textarea>" in page
    # Saving for real spends the copy.
    client.post(change_url(story), form_data(story, headline="헤드라인 고침"))
    assert not WorkingCopy.objects.exists()
    assert Article.objects.get().headline == "헤드라인 고침"


def test_add_page_offers_the_copy_of_a_story_never_saved_and_discard_works(client):
    alice = writer()
    client.force_login(alice)
    client.post(NEW_COPY_URL, form_data(headline="Never saved story"))
    assert WorkingCopy.objects.get().article is None
    page = client.get(ADD_URL + "?restore=1").content.decode()
    assert "Never saved story</textarea>" in page
    response = client.post(NEW_COPY_URL, {"action": "discard"})
    assert response.status_code == 302 and response["Location"] == ADD_URL
    assert not WorkingCopy.objects.exists()
    assert "You have unsaved changes" not in client.get(ADD_URL).content.decode()


def test_only_who_may_edit_the_story_keeps_a_copy_of_it(client):
    story = ArticleFactory(created_by=writer(), in_review=True)
    client.force_login(story.created_by)  # in review: no longer the writer's to edit
    assert client.post(copy_url(story), form_data(story)).status_code == 403
    client.force_login(writer())  # someone else's draft is out of sight
    draft = ArticleFactory(created_by=story.created_by)
    assert client.post(copy_url(draft), form_data(draft)).status_code in (302, 404)
    assert not WorkingCopy.objects.exists()


def test_restored_copy_saved_after_someone_else_is_refused_as_stale(client):
    alice = writer()
    story = ArticleFactory(created_by=alice, headline="Original")
    client.force_login(alice)
    client.post(copy_url(story), form_data(story, headline="Alice's copy"))
    story.headline = "Someone else's save"
    story.save()
    page = client.get(change_url(story) + "?restore=1").content.decode()
    token = re.search(r'name="version_token" value="(\d+)"', page)[1]
    assert token == "1"  # the version the copy started from
    response = client.post(
        change_url(story), form_data(story, headline="Alice's copy", version_token=1)
    )
    assert "Someone else saved this story" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Someone else's save"


def test_refused_save_keeps_the_chosen_picture_for_the_next_try(client):
    # The hero is a library photo (issue 18): a refused save shows it still chosen.
    alice = writer()
    client.force_login(alice)
    photo = make_photo("IU on stage", uploaded_by=alice)
    response = client.post(ADD_URL, form_data(headline="", hero_photo=photo.pk))
    page = response.content.decode()
    assert response.status_code == 200 and "errornote" in page
    assert re.search(rf'name="hero_photo"[^>]*value="{photo.pk}"', page) or re.search(
        rf'value="{photo.pk}"[^>]*name="hero_photo"', page
    )
    response = client.post(
        ADD_URL, form_data(headline="With a picture", hero_photo=photo.pk)
    )
    assert response.status_code == 302
    story = Article.objects.get()
    assert story.hero_photo == photo and story.hero_width == photo.width


def test_a_forged_held_token_is_ignored(client):
    client.force_login(writer())
    response = client.post(
        ADD_URL,
        form_data(headline="Forged", hero_image__held="held-uploads/x/../../secret"),
    )
    assert response.status_code == 302
    assert not Article.objects.get().hero_image
