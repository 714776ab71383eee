"""A reader goes from IU's profile to her album and reads its tracklist."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_reader_follows_iu_profile_to_the_winning_tracklist(
    live_server, page, demo, screenshot_dir
):
    page.goto(live_server.url + "/artists/iu/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("IU")
    page.screenshot(path=screenshot_dir / "artist-iu-1280.png", full_page=True)

    page.get_by_role("link", name="The Winning").first.click()
    expect(page).to_have_url(live_server.url + "/albums/the-winning/")
    tracks = page.locator("[data-tracklist] .track__title")
    expect(tracks).to_have_text(
        ["Shopper", "Holssi", "Love wins all", "Shh..", "Stan U"]
    )
    expect(page.get_by_text("Title track")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "release-the-winning-1280.png", full_page=True
    )


def test_artist_pages_fit_a_phone_screen(live_server, browser, demo, screenshot_dir):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    phone = context.new_page()
    try:
        for path, name in [
            ("/artists/", "artists-index"),
            ("/artists/iu/", "artist-iu"),
            ("/artists/bts/", "artist-bts"),
            ("/albums/the-winning/", "release-the-winning"),
        ]:
            phone.goto(live_server.url + path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{path} scrolls sideways ({width}px)"
            phone.screenshot(path=screenshot_dir / f"{name}-375.png", full_page=True)
    finally:
        context.close()


def test_reader_filters_the_index_to_groups(live_server, page, demo, screenshot_dir):
    page.goto(live_server.url + "/artists/")
    page.get_by_label("Kind").select_option("group")
    page.get_by_role("button", name="Apply").click()
    names = page.locator(".artist-card__name")
    expect(names).to_have_text(["BTS", "NewJeans"])
    page.screenshot(path=screenshot_dir / "artists-groups-1280.png", full_page=True)
