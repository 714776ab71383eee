"""The demo's finished live story: a showcase night with a post and a photo."""

import pytest
from django.core.management import call_command

from articles import live_demo
from articles.models import Article, LiveEntry

pytestmark = pytest.mark.django_db


def test_demo_has_one_finished_live_story_loaded_once(client):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent: nothing doubles
    story = Article.objects.published().get(slug=live_demo.SLUG)
    assert story.is_live_blog and not story.is_covered_live
    assert story.coverage_started_at < story.coverage_ended_at
    entries = LiveEntry.objects.filter(article=story)
    assert entries.count() == len(live_demo.ENTRIES) == 12
    assert entries.filter(is_key_event=True).count() >= 4
    assert entries.filter(is_pinned=True).count() == 1
    photo = entries.exclude(photo="").get()
    assert photo.photo_alt and photo.photo_renditions
    html = client.get(story.get_absolute_url()).content.decode()
    assert "data-embed-card" in html and "Lilac Notes" in html
    assert 'alt="Paper confetti' in html and "srcset=" in html
    assert "live-badge" not in html and "(ended)" in html
