"""The header search box suggests as a reader types: by keyboard and by touch."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_typeahead_by_keyboard_and_by_touch(live_server, browser, demo, screenshot_dir):
    desk = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desk.new_page()
    try:
        page.goto(live_server.url + "/")
        box = page.get_by_role("combobox", name="Search the site")
        expect(box).to_have_attribute("aria-expanded", "false")
        box.press_sequentially("taehy", delay=30)
        listbox = page.get_by_role("listbox", name="Suggestions")
        expect(listbox.get_by_role("option").first).to_contain_text("V")
        expect(box).to_have_attribute("aria-expanded", "true")
        page.screenshot(path=screenshot_dir / "typeahead-1280.png")
        box.press("ArrowDown")
        first = listbox.get_by_role("option").first
        expect(first).to_have_attribute("aria-selected", "true")
        expect(box).to_have_attribute(
            "aria-activedescendant", first.get_attribute("id")
        )
        box.press("Escape")
        expect(box).to_have_attribute("aria-expanded", "false")
        box.press("ArrowDown")  # opens again
        expect(listbox.get_by_role("option").first).to_be_visible()
        box.press("ArrowDown")
        box.press("Enter")
        expect(page).to_have_url(live_server.url + "/artists/v/")
    finally:
        desk.close()

    phone = browser.new_context(
        viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True
    )
    page = phone.new_page()
    try:
        page.goto(live_server.url + "/artists/")
        box = page.get_by_role("combobox", name="Search the site")
        box.tap()
        box.press_sequentially("the winnig", delay=30)
        option = page.get_by_role("option", name="The Winning Release")
        expect(option).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"page is {width}px wide on a 375px screen"
        page.screenshot(path=screenshot_dir / "typeahead-375.png")
        option.tap()
        expect(page).to_have_url(live_server.url + "/albums/the-winning/")
    finally:
        phone.close()
