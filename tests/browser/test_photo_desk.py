"""Issue 18: an editor picks a hero, inserts a library photo and a gallery into the
body with the toolbar buttons, publishes; a reader sees them on the story page.
One data set, each page visited once; screenshots at 1280 and 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from newsroom.groups import EDITORS
from photos.models import Photo
from tests.browser.test_editorial_workflow import log_in, staff
from tests.photos.factories import make_photo

HEADLINE = "IU's fan meeting in pictures"
COLOURS = [(200, 40, 80), (40, 120, 200), (240, 180, 40), (60, 160, 90)]


@pytest.mark.django_db(transaction=True)
def test_editor_inserts_a_photo_and_a_gallery_and_readers_see_them(
    live_server, browser, screenshot_dir
):
    staff("eddie", EDITORS)
    [
        make_photo(
            f"IU greets fans, picture {n}",
            caption=f"아이유 팬미팅 {n}",
            credit="EDAM Entertainment",
            colour=colour,
            width=900,
            height=600,
        )
        for n, colour in enumerate(COLOURS, start=1)
    ]
    make_photo("Unrelated stage picture", credit="", usage="")

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, live_server, "eddie")
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_label("Headline").fill(HEADLINE)
    page.get_by_label("Summary (dek)").fill("Four moments from Seoul.")

    # The hero: the field's chooser, searching the library.
    page.get_by_role("button", name="Choose a picture").click()
    dialog = page.locator("dialog.photo-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("searchbox").fill("picture 4")
    expect(dialog.locator(".photo-dialog__item")).to_have_count(1)
    dialog.locator(".photo-dialog__item").first.click()
    expect(page.locator(".photo-chooser__label")).to_have_text(
        "IU greets fans, picture 4"
    )

    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    body.type("The singer met two thousand fans.")
    body.press("Enter")

    # A single library photo, newest first in the chooser.
    page.get_by_title("Insert a library photo").click()
    expect(dialog.locator(".photo-dialog__item")).to_have_count(5)
    dialog.screenshot(path=screenshot_dir / "photo-chooser-1280.png")
    dialog.get_by_title("IU greets fans, picture 1").click()
    expect(body.locator(".prose-library-figure")).to_have_count(1)

    # A gallery of three.
    page.get_by_title("Insert a gallery").click()
    for n in (1, 2, 3):
        dialog.get_by_title(f"IU greets fans, picture {n}").click()
    dialog.get_by_role("button", name="Insert 3 photos").click()
    expect(body.locator(".prose-library-figure")).to_have_count(2)
    expect(body.locator(".prose-library-figure").nth(1)).to_contain_text("Gallery of 3")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".photo-chooser__label")).to_have_text(
        "IU greets fans, picture 4"
    )
    page.get_by_role("button", name="Save and publish").click()
    expect(page.locator(".messagelist")).to_contain_text("Published")
    page.context.close()

    # A reader, on a phone and on a desktop.
    for width in (375, 1280):
        reader = browser.new_context(
            viewport={"width": width, "height": 900}
        ).new_page()
        reader.goto(live_server.url + "/")
        reader.get_by_role("link", name=HEADLINE).first.click()
        story = reader.locator(".story__body")
        single = story.locator("figure.body-photo img")
        expect(single).to_have_attribute("alt", "IU greets fans, picture 1")
        expect(story.locator("figure.body-photo figcaption")).to_contain_text(
            "아이유 팬미팅 1"
        )
        expect(story.locator("figure.body-photo figcaption")).to_contain_text("EDAM")
        gallery = story.locator("figure.body-gallery a.body-gallery__link")
        expect(gallery).to_have_count(3)
        assert reader.evaluate(
            "() => [...document.querySelectorAll('.body-gallery img')]"
            ".every(img => img.complete || img.loading === 'lazy')"
        )
        gallery.first.focus()  # keyboard reachable, no script needed
        expect(gallery.first).to_be_focused()
        expect(reader.locator(".story__hero img")).to_have_attribute(
            "alt", "IU greets fans, picture 4"
        )
        reader.locator("figure.body-gallery").scroll_into_view_if_needed()
        reader.screenshot(
            path=screenshot_dir / f"photo-story-{width}.png", full_page=True
        )
        reader.context.close()
    assert Photo.objects.count() == 5
