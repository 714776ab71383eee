from playwright.sync_api import expect


def test_home_page_shows_site_name_and_navigation(live_server, page, screenshot_dir):
    page.goto(live_server.url + "/")
    expect(page.locator(".site-header .site-name")).to_have_text("Newsroom")
    nav = page.get_by_role("navigation", name="Main")
    for label in ["News", "Artists", "Search"]:
        expect(nav.get_by_role("link", name=label)).to_be_visible()
    page.screenshot(path=screenshot_dir / "home-frame-1280.png")
