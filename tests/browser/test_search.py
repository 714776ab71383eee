"""A reader searches by a song they remember, narrows to artists, and follows a hit."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_reader_finds_iu_by_the_song_she_sang(live_server, page, demo, screenshot_dir):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Search"
    ).click()
    box = page.get_by_label("Search stories, artists, albums and songs")
    box.fill("the Holssi singer")
    box.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("the Holssi singer")
    expect(box).to_have_value("the Holssi singer")
    artists = page.get_by_role("region", name="Artists")
    expect(artists.get_by_role("link", name="IU")).to_be_visible()
    expect(artists).to_contain_text("sings “Holssi”")
    page.screenshot(path=screenshot_dir / "search-holssi-1280.png", full_page=True)

    page.get_by_role("navigation", name="Result types").get_by_role(
        "link", name="Artists"
    ).click()
    expect(page).to_have_url(
        live_server.url + "/search/?q=the+Holssi+singer&type=artist"
    )
    page.get_by_role("region", name="Artists").get_by_role("link", name="IU").click()
    expect(page).to_have_url(live_server.url + "/artists/iu/")


def test_search_page_fits_a_phone_and_highlights_matches(
    live_server, browser, demo, screenshot_dir
):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    phone = context.new_page()
    try:
        phone.goto(live_server.url + "/search/?q=Love+wins+all")
        expect(phone.locator("mark").first).to_have_text("Love")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"page is {width}px wide on a 375px screen"
        phone.screenshot(path=screenshot_dir / "search-love-375.png", full_page=True)

        phone.goto(live_server.url + "/search/?q=%21%21%21")
        expect(phone.get_by_role("heading", level=2)).to_contain_text(
            "Nothing to search for"
        )
        phone.screenshot(path=screenshot_dir / "search-empty-375.png", full_page=True)
    finally:
        context.close()


def test_hangul_query_from_the_box_finds_iu(live_server, page, demo):
    page.goto(live_server.url + "/search/")
    page.get_by_label("Search stories, artists, albums and songs").fill("이지은")
    page.get_by_role("button", name="Search").click()
    artists = page.get_by_role("region", name="Artists")
    expect(artists.get_by_role("link", name="IU")).to_be_visible()
