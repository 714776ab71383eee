"""Live coverage in the browser: an open reader page receives a post, its edit and
its removal from the live desk without a reload; the page without JavaScript;
permalinks; the LiveBlogPosting data. One data set, each page visited once."""

import json
import os
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from articles import live
from newsroom.groups import EDITORS, sync_groups
from tests.articles.live_factories import entries, live_story

# Where the 375 and 1280 px pictures of the live page go (outside the repository).
LOOK_DIR = Path(os.environ.get("LIVE_SCREENSHOT_DIR", "/tmp/newsroom-live"))
DELIVERY_SECONDS = 5


@pytest.mark.django_db(transaction=True)
def test_open_page_follows_the_live_desk_and_works_without_script(
    live_server, browser, screenshot_dir
):
    sync_groups()  # transactional tests flush tables; the groups come back here
    erin = User.objects.create_user(
        "erin", "erin@example.com", "pw-for-browser-1", is_staff=True
    )
    erin.groups.add(Group.objects.get(name=EDITORS))
    erin = User.objects.get(pk=erin.pk)
    story = live_story(headline="Live: the year-end awards night")
    entries(story, 24)
    key = live.post_live_entry(
        article=story,
        by=erin,
        body="<p>Album of the Year goes to IU.</p>",
        is_key_event=True,
        key_title="Album of the Year",
    )
    live.post_live_entry(
        article=story,
        by=erin,
        body="<p>Welcome to our live coverage.</p>",
        is_pinned=True,
    )
    url = live_server.url + story.get_absolute_url()
    LOOK_DIR.mkdir(parents=True, exist_ok=True)

    # A reader opens the page: badge, pinned entry, key events, newest twenty.
    reader = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    reader.goto(url)
    expect(reader.locator(".live-badge--top")).to_have_text("Live")
    expect(reader.locator("[data-live-pinned]")).to_contain_text("Welcome to our live")
    assert reader.locator("[data-live-entries] .live-entry").count() == 20
    data = [
        json.loads(text)
        for text in reader.locator(
            'script[type="application/ld+json"]'
        ).all_text_contents()
    ]
    [posting] = [d for d in data if d.get("@type") == "LiveBlogPosting"]
    assert posting["coverageStartTime"] and "coverageEndTime" not in posting
    assert len(posting["liveBlogUpdate"]) == 26
    assert posting["liveBlogUpdate"][1]["url"] == url + f"#entry-{key.pk}"
    # Key events link to their entries (the permalink).
    reader.locator(".live-keys").get_by_role("link", name="Album of the Year").click()
    assert reader.url.endswith(f"#entry-{key.pk}")
    expect(reader.locator(f"#entry-{key.pk}")).to_be_in_viewport()
    reader.locator(".live-entry__time").first.click()  # an entry's own permalink
    assert "#entry-" in reader.url
    reader.screenshot(path=LOOK_DIR / "live-1280.png", full_page=True)

    # The editor posts from the story's admin page at phone width: type, post.
    desk = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    desk.goto(live_server.url + "/admin/login/")
    desk.get_by_label("Username").fill("erin")
    desk.get_by_label("Password").fill("pw-for-browser-1")
    desk.get_by_role("button", name="Log in").click()
    desk.goto(live_server.url + f"/admin/articles/article/{story.pk}/change/")
    desk.get_by_placeholder("What just happened?").fill("IU performs the encore now.")
    desk.screenshot(path=LOOK_DIR / "live-desk-375.png")
    desk.get_by_role("button", name="Post update").click()
    expect(desk.locator(".messagelist")).to_contain_text("Posted update")
    posted_at = time.monotonic()
    new_entry = reader.locator(".live-entry", has_text="IU performs the encore now.")
    expect(new_entry).to_be_visible(timeout=DELIVERY_SECONDS * 1000)
    assert time.monotonic() - posted_at <= DELIVERY_SECONDS
    entry_id = new_entry.get_attribute("data-live-entry")
    # Newest first: the new entry leads the stream.
    assert (
        reader.locator("[data-live-entries] .live-entry").first.get_attribute("id")
        == f"entry-{entry_id}"
    )

    # Its edit reaches the open page.
    desk.goto(live_server.url + f"/admin/articles/liveentry/{entry_id}/change/")
    body = desk.locator(".ProseMirror[contenteditable=true]")
    body.click()
    desk.keyboard.press("Control+a")
    desk.keyboard.type("IU performs the encore, Love wins all.")
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("Update saved")
    expect(reader.locator(f"#entry-{entry_id}")).to_contain_text(
        "Love wins all", timeout=DELIVERY_SECONDS * 1000
    )

    # Its removal too.
    desk.locator(f"#desk-entry-{entry_id}").get_by_role("button", name="Remove").click()
    expect(desk.locator(".messagelist")).to_contain_text("Removed update")
    expect(reader.locator(f"#entry-{entry_id}")).to_have_count(
        0, timeout=DELIVERY_SECONDS * 1000
    )
    reader.context.close()
    desk.context.close()

    # Without JavaScript a load shows the latest, and older entries load by page.
    plain = browser.new_context(
        viewport={"width": 375, "height": 800}, java_script_enabled=False
    ).new_page()
    plain.goto(url)
    expect(plain.locator(f"#entry-{entry_id}")).to_have_count(0)
    expect(plain.locator(f"#entry-{key.pk}")).to_contain_text("Album of the Year")
    plain.screenshot(path=LOOK_DIR / "live-375.png", full_page=True)
    plain.get_by_role("link", name="Older updates").click()
    expect(plain.locator(".live-entry")).to_have_count(6)
    first = plain.locator(".live-entry").first.get_attribute("id")
    plain.goto(plain.url.split("#")[0] + f"#{first}")
    expect(plain.locator(f"#{first}")).to_be_in_viewport()
    plain.context.close()
