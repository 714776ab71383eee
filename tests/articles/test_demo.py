import pytest
from django.core.management import call_command

from articles.models import Article, Transition

pytestmark = pytest.mark.django_db


def test_demo_iu_interview_is_complete(client):
    call_command("load_demo", verbosity=0)
    story = Article.objects.published().get(
        slug="iu-on-love-wins-all-and-working-with-v"
    )
    assert {a.slug for a in story.artists.all()} == {"iu", "v"}
    assert [r.slug for r in story.releases.all()] == ["the-winning"]
    assert story.sources.get().url.startswith("https://")
    assert story.is_featured and story.hero_renditions and story.hero_alt
    assert "<blockquote>" in story.body
    assert story.body.count("<p>https://x.com/") == 2
    assert "<p>https://www.youtube.com/watch?v=JleoAppaxi0</p>" in story.body
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Marie Claire Korea" in html


def test_demo_has_about_ten_more_stories_and_a_story_in_review():
    call_command("load_demo", verbosity=0)
    assert Article.objects.published().count() >= 10
    assert Article.objects.filter(status=Article.Status.REVIEW).exists()


def test_demo_twice_adds_no_transitions():
    call_command("load_demo", verbosity=0)
    steps = Transition.objects.count()
    call_command("load_demo", verbosity=0)
    assert Transition.objects.count() == steps


def test_demo_schedules_one_story_for_the_desk():
    call_command("load_demo", verbosity=0)
    assert Article.objects.scheduled().count() == 1
