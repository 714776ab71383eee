"""The public design in a real browser: screenshots, axe-core, keyboard, dark mode."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import SocialPost
from tests.design.axe import axe_violations, describe

pytestmark = pytest.mark.django_db(transaction=True)

STORY = "/news/iu-on-love-wins-all-and-working-with-v/"
PAGES = {
    "home": "/",
    "story": STORY,
    "artist": "/artists/iu/",
    "release": "/albums/the-winning/",
    "tag": "/tags/iu/",
    "search": "/search/?q=IU",
}
WIDTHS = (375, 1280)


FAN_POST = (
    "Watched the Love wins all video four times already. No big speeches, just two "
    "people telling a whole story with their faces.\n\nEveryone who stood on that "
    "freezing set deserves a long, warm holiday. Thank you for looking after her, V."
)


@pytest.fixture
def demo(db, settings):
    """The demo content, with words in its embedded posts (as an editor would add)."""
    settings.EMBEDS_OEMBED_ENABLED = False
    call_command("load_demo", verbosity=0)
    posts = SocialPost.objects.filter(platform="x", text="").order_by("pk")
    for number, post in enumerate(posts):
        post.author_name = ["Lilac Notes", "겨울 셋리스트"][number % 2]
        post.author_handle = ["lilac_notes_fan", "wintersetlist"][number % 2]
        post.text = FAN_POST if number == 0 else "Short, sweet and very cold."
        post.save()


@pytest.fixture
def open_page(browser):
    """A page factory: viewport width and colour scheme; CSP bypassed for axe only."""
    contexts = []

    def make(width: int = 1280, scheme: str = "light"):
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            color_scheme=scheme,
            bypass_csp=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def visit(page, url: str):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    return response


def test_screenshots_of_the_main_pages_at_phone_and_desktop_widths(
    live_server, demo, open_page, screenshot_dir
):
    for width in WIDTHS:
        page = open_page(width)
        for name in ("home", "story", "artist", "release"):
            response = visit(page, live_server.url + PAGES[name])
            assert response.status == 200, name
            # Nothing sticks out sideways on a phone.
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, (
                f"{name} at {width}px scrolls sideways by {overflow}px"
            )
            page.screenshot(
                path=screenshot_dir / f"design-{name}-{width}.png", full_page=True
            )


def test_narrowest_phone_320_has_no_sideways_scroll(live_server, demo, open_page):
    page = open_page(320)
    for name in ("home", "story", "artist", "release", "tag"):
        visit(page, live_server.url + PAGES[name])
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0, f"{name} at 320px scrolls sideways by {overflow}px"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations(live_server, demo, open_page, name, scheme):
    page = open_page(1280, scheme)
    response = visit(page, live_server.url + PAGES[name])
    if name == "search" and response.status == 404:
        pytest.skip("the search page is not on this branch yet")
    assert response.status == 200
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_axe_finds_no_violations_on_a_phone(live_server, demo, open_page):
    page = open_page(375)
    for name in ("home", "story", "artist", "release"):
        visit(page, live_server.url + PAGES[name])
        violations = axe_violations(page)
        assert violations == [], f"{name}: " + describe(violations)


def test_axe_story_with_the_reaction_form_showing_errors(live_server, demo, open_page):
    page = open_page(1280)
    visit(page, live_server.url + STORY)
    page.get_by_label("Your name", exact=True).fill("Bora")
    page.get_by_label("Your reaction", exact=True).fill("   ")
    page.get_by_role("button", name="Send reaction").click()
    error = page.locator("#reaction-message-error")
    expect(error).to_have_text("Write a reaction before sending it.")
    expect(error).to_have_attribute("role", "alert")
    field = page.get_by_label("Your reaction", exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_keyboard_skip_link_focus_ring_and_reaction_form(live_server, demo, open_page):
    page = open_page(1280)
    visit(page, live_server.url + STORY)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # Expand a long embedded post with the keyboard only.
    summary = page.locator("[data-embed-more]:not([hidden]) summary").first
    summary.focus()
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-embed-more][open]").first).to_be_visible()

    # Fill and send the reaction form with the keyboard only.
    page.get_by_label("Your name", exact=True).focus()
    page.keyboard.type("Keyboard fan")
    page.keyboard.press("Tab")
    page.keyboard.type("Typed without touching the mouse.")
    page.keyboard.press("Tab")  # into the emoji radio group
    page.keyboard.press("ArrowRight")
    button = page.get_by_role("button", name="Send reaction")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-reactions-status]")).to_contain_text("awaits moderation")


def test_story_prints_without_the_site_chrome(live_server, demo, open_page):
    page = open_page(1280)
    visit(page, live_server.url + STORY)
    page.emulate_media(media="print")
    for selector in (".site-nav", ".site-footer", ".reactions", ".related"):
        expect(page.locator(selector).first).to_be_hidden()
    expect(page.locator(".story__headline")).to_be_visible()
    expect(page.locator(".story__body")).to_be_visible()


def test_one_stylesheet_one_deferred_script_and_nothing_from_other_hosts(
    live_server, demo, open_page
):
    page = open_page(1280)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    visit(page, live_server.url + STORY)
    foreign = [
        url
        for url in requested
        if not url.startswith(live_server.url) and not url.startswith("data:")
    ]
    assert foreign == []
    assert page.locator('link[rel="stylesheet"]').count() == 1
    scripts = page.locator("script[src]")
    assert scripts.count() == 1
    assert scripts.first.get_attribute("defer") is not None
    # Every image states its size; pictures below the first screen load lazily.
    images = page.evaluate(
        """() => [...document.images].map(i => ({
            src: i.currentSrc, w: i.getAttribute('width'), h: i.getAttribute('height'),
            lazy: i.loading === 'lazy', top: i.getBoundingClientRect().top}))"""
    )
    for image in images:
        assert image["w"] and image["h"], image
        if image["top"] > 1800:
            assert image["lazy"], image


def test_the_axe_harness_reports_a_real_violation(open_page):
    """Guards the checks above: an image without alt text must be caught."""
    page = open_page(1280)
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><h1>t</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1" height="1">'
        "</main></html>"
    )
    assert "image-alt" in {violation["id"] for violation in axe_violations(page)}


def test_the_axe_harness_checks_target_size(open_page):
    """WCAG 2.2's 24 px target size is on (axe leaves it off by default)."""
    page = open_page(1280)
    tiny = '<a href="/{0}" style="font-size:8px;line-height:8px">{0}</a>'
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><h1>t</h1><p>'
        + "<br>".join(tiny.format(n) for n in ("one", "two", "three"))
        + "</p></main></html>"
    )
    assert "target-size" in {violation["id"] for violation in axe_violations(page)}
