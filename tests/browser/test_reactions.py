"""A reader reacts, a moderator approves, the reader sees it: in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles.models import FanReaction
from tests.articles.reaction_factories import (
    FanReactionFactory,
    StoryFactory,
    moderator,
)

pytestmark = pytest.mark.django_db(transaction=True)


def write_reaction(page, name: str, message: str) -> None:
    page.get_by_label("Your name", exact=True).fill(name)
    page.get_by_label("Your reaction", exact=True).fill(message)


def test_reader_reacts_moderator_approves_reader_sees_it(
    live_server, browser, page, screenshot_dir
):
    story = StoryFactory(headline="IU thanks V for the cold shoot", slug="iu-thanks-v")
    FanReactionFactory(
        article=story,
        approved=True,
        is_featured=True,
        display_name="Uaena since 2008",
        message="The behind-the-scenes video is lovely: https://example.com/bts",
        emoji="purple_heart",
    )
    FanReactionFactory(
        article=story, approved=True, display_name="하늘", message="정말 감동이에요"
    )
    held = FanReactionFactory(
        article=story,
        display_name="BTS official",
        message="Stream www.a.test www.b.test",
    )
    held.flags.create(code="links", reason="2 links (more than 1 allowed)")
    held.flags.create(code="impersonation", reason="Name claims authority: “official”")
    user = moderator("mod-browser")
    user.set_password("moderate-carefully")
    user.save()
    story_url = live_server.url + story.get_absolute_url()

    # The reader submits with the script: no page reload, the answer is announced.
    page.goto(story_url)
    write_reaction(
        page, "Bora", "Get well soon, IU! Thank you V for taking care of her."
    )
    page.get_by_label("🔥").check()
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="Send reaction").click()
    status = page.locator("[data-reactions-status]")
    expect(status).to_contain_text("awaits moderation")
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    expect(page.get_by_label("Your reaction", exact=True)).to_have_value("")
    assert FanReaction.objects.get(display_name="Bora").status == "pending"
    page.locator("#reactions").screenshot(
        path=screenshot_dir / "reactions-block-1280.png"
    )
    expect(page.get_by_text("Get well soon, IU!")).to_have_count(0)

    # The moderator logs in and approves it from the queue.
    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    admin.goto(live_server.url + "/admin/")
    admin.get_by_label("Username").fill("mod-browser")
    admin.get_by_label("Password").fill("moderate-carefully")
    admin.get_by_role("button", name="Log in").click()
    admin.get_by_role("link", name="Fan reactions").first.click()
    row = admin.locator("#result_list tbody tr", has_text="Get well soon")
    row.locator("input.action-select").check()
    admin.locator("select[name=action]").select_option("approve")
    admin.get_by_role("button", name="Go").click()
    expect(admin.locator(".messagelist")).to_contain_text("Approved 1 reaction")
    admin.screenshot(path=screenshot_dir / "reactions-queue-1280.png", full_page=True)
    admin.set_viewport_size({"width": 375, "height": 800})
    admin.screenshot(path=screenshot_dir / "reactions-queue-375.png", full_page=True)
    admin.context.close()

    # The reader reloads and sees it, counted, under the featured one.
    page.reload()
    block = page.locator("#reactions")
    expect(block.get_by_text("Get well soon, IU!")).to_be_visible()
    expect(block.locator(".reactions__count")).to_have_text("3 reactions")
    expect(block.locator(".reaction").first).to_contain_text("Uaena since 2008")
    page.set_viewport_size({"width": 375, "height": 800})
    block.screenshot(path=screenshot_dir / "reactions-block-375.png")


def test_reader_without_javascript_confirms_once(live_server, browser, screenshot_dir):
    story = StoryFactory(slug="no-script-story")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    write_reaction(page, "Minji", "Reading without scripts, still here.")
    page.get_by_role("button", name="Send reaction").click()
    expect(page.get_by_role("heading", name="Confirm your reaction")).to_be_visible()
    expect(page.get_by_label("Your reaction", exact=True)).to_have_value(
        "Reading without scripts, still here."
    )
    page.screenshot(path=screenshot_dir / "reactions-confirm-375.png", full_page=True)
    assert FanReaction.objects.count() == 0
    page.get_by_role("button", name="Confirm and send").click()
    expect(page.locator("[data-reactions-status]")).to_contain_text("awaits moderation")
    assert FanReaction.objects.get().message == "Reading without scripts, still here."
    context.close()


def test_script_shows_errors_next_to_the_field(live_server, page):
    story = StoryFactory(slug="error-story")
    page.goto(live_server.url + story.get_absolute_url())
    write_reaction(
        page, "Bora", "   "
    )  # passes the browser's check, fails the server's
    page.get_by_role("button", name="Send reaction").click()
    error = page.locator("#reaction-message-error")
    expect(error).to_have_text("Write a reaction before sending it.")
    expect(page.get_by_label("Your reaction", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_label("Your name", exact=True)).to_have_value("Bora")
    assert FanReaction.objects.count() == 0


def test_moderator_reads_why_a_reaction_was_held_and_rejects_it(
    live_server, browser, screenshot_dir
):
    story = StoryFactory(headline="NewJeans' Hyein joins IU on The Winning")
    held = FanReactionFactory(
        article=story, display_name="IU official", message="Follow my page www.x.test"
    )
    held.flags.create(code="impersonation", reason="Name claims authority: “official”")
    FanReactionFactory(
        article=story, fingerprint=held.fingerprint, message="Earlier try"
    )
    user = moderator("mod-reader")
    user.set_password("moderate-carefully")
    user.save()
    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    admin.goto(live_server.url + held.get_admin_url())
    admin.get_by_label("Username").fill("mod-reader")
    admin.get_by_label("Password").fill("moderate-carefully")
    admin.get_by_role("button", name="Log in").click()
    expect(admin.get_by_text("Name claims authority: “official”")).to_be_visible()
    expect(admin.get_by_role("link", name="Earlier try")).to_be_visible()
    admin.screenshot(path=screenshot_dir / "reactions-change-1280.png", full_page=True)
    admin.get_by_label("Your decision").select_option("reject")
    admin.get_by_label("Reason (for reject)").select_option("abusive")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_be_visible()
    held.refresh_from_db()
    assert (held.status, held.decision_reason, held.decided_by) == (
        "rejected",
        "abusive",
        user,
    )
    admin.context.close()
