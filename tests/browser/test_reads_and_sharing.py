"""A reader opens a story: one read is counted by our own beacon, nothing is asked of
another site, the share links are there and the rail sits beside the story."""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from articles import reads
from articles.models import Article, StoryReads

# Headless Chromium names itself in its user agent, and bots are not counted: this
# test reads as the desktop browser a person would use.
PERSON = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
STORY = "/news/iu-on-love-wins-all-and-working-with-v/"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_a_read_is_counted_once_by_our_beacon_and_nothing_leaves_the_site(
    live_server, browser, demo, screenshot_dir
):
    story = Article.objects.get(slug="iu-on-love-wins-all-and-working-with-v")
    elsewhere = []
    for width in (1280, 375):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, user_agent=PERSON
        )
        page = context.new_page()
        page.on(
            "request",
            lambda request: (
                urlsplit(request.url).netloc != urlsplit(live_server.url).netloc
                and not request.url.startswith("data:")
                and elsewhere.append(request.url)
            ),
        )
        try:
            with page.expect_response(lambda r: r.url.endswith("/reads/")) as beacon:
                page.goto(live_server.url + STORY)
            assert beacon.value.status == 204
            assert beacon.value.request.method == "POST"
            share = page.get_by_role("region", name="Share this story")
            for name in ("X", "Facebook", "LINE", "WhatsApp", "E-mail", "Copy link"):
                assert share.get_by_text(name, exact=True).is_visible(), name
            # The phone's share sheet is offered on touch screens only.
            assert not page.get_by_text("Share…").is_visible()
            if width == 1280:
                story_box = page.locator("article.story").bounding_box()
                rail_box = page.locator(".story-rail").bounding_box()
                assert rail_box["x"] > story_box["x"] + story_box["width"]
            else:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= 375, scroll
            page.screenshot(
                path=screenshot_dir / f"story-rail-share-{width}.png", full_page=True
            )
        finally:
            context.close()
    assert elsewhere == []
    reads.flush_reads()
    # Two visits from one browser on one address on one day: one read.
    assert StoryReads.objects.get(article=story).reads == 1
