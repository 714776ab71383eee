"""A reader opens a story with embedded posts: nothing leaves our host until asked."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, SocialPost

pytestmark = pytest.mark.django_db(transaction=True)

LONG_TEXT = (
    "The Love wins all video is finally out and I have already watched it four "
    "times. No big speeches, just two people telling a whole story with their "
    "faces.\n\nThe snow scenes look beautiful on a big screen. Everyone who worked "
    "on that set in the cold deserves a long, warm holiday. LAST-LINE-MARKER"
)
X_URL = "https://x.com/lilac_notes_fan/status/1750091641508766131"
X_URL_2 = "https://x.com/wintersetlist/status/1762813661795173607"
YT_URL = "https://www.youtube.com/watch?v=JleoAppaxi0"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture
def story(settings):
    settings.EMBEDS_OEMBED_ENABLED = False
    article = Article.objects.create(
        headline="IU on filming 'Love wins all' in the cold",
        slug="iu-embeds",
        body=(
            "<p>IU spoke about the music video in a new interview.</p>"
            f'<p><a href="{X_URL}">{X_URL}</a></p>'
            "<p>Fans were quick to react after the interview came out.</p>"
            f"<p>{X_URL_2}</p>"
            f"<p>{YT_URL}</p>"
            "<p>The mini album followed on 20 February.</p>"
        ),
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    SocialPost.objects.filter(post_id="1750091641508766131").update(
        author_name="Lilac Notes", author_handle="lilac_notes_fan", text=LONG_TEXT
    )
    SocialPost.objects.filter(post_id="1762813661795173607").update(
        author_name="겨울 셋리스트",
        author_handle="wintersetlist",
        text="Short and sweet <script>alert('no')</script>",
    )
    SocialPost.objects.filter(post_id="JleoAppaxi0").update(
        author_name="IU", text="IU 'Love wins all' official music video"
    )
    return article


def is_clamped(locator) -> bool:
    return locator.evaluate("el => el.scrollHeight > el.clientHeight + 1")


def test_story_with_posts_loads_nothing_from_other_hosts_and_expands(
    live_server, page, story, screenshot_dir
):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + story.get_absolute_url())
    page.wait_for_load_state("networkidle")

    foreign = [
        url
        for url in requested
        if not url.startswith("data:") and urlsplit(url).hostname not in LOCAL_HOSTS
    ]
    assert foreign == []
    assert any(url.endswith("/static/js/site.js") for url in requested)

    cards = page.locator("[data-embed-card]")
    expect(cards).to_have_count(3)
    expect(page.locator("iframe")).to_have_count(0)

    card = cards.first
    expect(card.get_by_text("Lilac Notes")).to_be_visible()
    expect(card.get_by_role("link", name="View on X")).to_have_attribute("href", X_URL)
    text = card.locator(".embed__text")
    assert is_clamped(text)
    summary = card.locator("summary")
    expect(summary).to_contain_text("Expand")
    page.screenshot(path=screenshot_dir / "embeds-1280.png", full_page=True)

    summary.click()
    expect(summary).to_contain_text("Collapse")
    assert not is_clamped(text)
    expect(card.get_by_text("LAST-LINE-MARKER")).to_be_visible()
    card.screenshot(path=screenshot_dir / "embed-card-expanded-1280.png")

    # The short post's markup arrives as text, and it needs no Expand control.
    second = cards.nth(1)
    expect(second).to_contain_text("Short and sweet <script>alert('no')</script>")
    expect(second.locator("summary")).to_have_count(0)


def test_expand_works_from_the_keyboard(live_server, page, story):
    page.goto(live_server.url + story.get_absolute_url())
    summary = page.locator("[data-embed-card] summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-embed-card] details").first).to_have_attribute(
        "open", ""
    )
    assert not is_clamped(page.locator(".embed__text").first)


def test_expand_works_without_javascript(live_server, browser, story):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + story.get_absolute_url())
        text = page.locator(".embed__text").first
        assert is_clamped(text)
        page.locator("[data-embed-card] summary").first.click()
        assert not is_clamped(text)
    finally:
        context.close()


def test_play_swaps_in_the_nocookie_player_only_on_click(
    live_server, page, story, screenshot_dir
):
    page.set_viewport_size({"width": 375, "height": 800})
    player_requests: list[str] = []

    def fake_player(route):
        player_requests.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p>player</p>")

    page.route("https://www.youtube-nocookie.com/**", fake_player)
    page.goto(live_server.url + story.get_absolute_url())
    video = page.locator('[data-platform="youtube"]')
    video.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "embeds-375.png", full_page=True)
    assert player_requests == []

    video.get_by_role("link", name="Play video").click()
    frame = video.locator("iframe")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/JleoAppaxi0?autoplay=1"
    )
    expect(frame).to_have_attribute("title", "IU 'Love wins all' official music video")
    page.wait_for_timeout(200)
    assert player_requests and all(
        urlsplit(url).hostname == "www.youtube-nocookie.com" for url in player_requests
    )
