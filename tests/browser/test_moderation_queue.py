"""A moderator clears the queue from the keyboard, and decides from a row's buttons."""

from __future__ import annotations

import datetime
import os
import statistics
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import FanReaction, ReactionDecision
from articles.moderation import message_digest
from tests.articles.reaction_factories import StoryFactory, moderator

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE_SIZE = int(os.environ.get("QUEUE_BROWSER_SIZE", "100"))


def fill_queue(count: int) -> None:
    story = StoryFactory(headline="BLACKPINK's Rosé on her first solo tour")
    start = timezone.now() - datetime.timedelta(hours=2)
    messages = [
        f"Reaction {n}: 로제 최고! " + ("so proud of her " * (n % 7))
        for n in range(count)
    ]
    FanReaction.objects.bulk_create(
        FanReaction(
            article=story,
            display_name=f"Fan {n}",
            message=message,
            fingerprint=f"{n:064x}",
            message_digest=message_digest(message),
            created_at=start + datetime.timedelta(seconds=n),
        )
        for n, message in enumerate(messages)
    )


def test_moderator_clears_the_queue_by_keyboard_and_from_a_row(
    live_server, browser, screenshot_dir
):
    fill_queue(QUEUE_SIZE)
    user = moderator("mod-keys")
    user.set_password("moderate-carefully")
    user.save()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/admin/login/?next=/admin/articles/fanreaction/")
    page.get_by_label("Username").fill("mod-keys")
    page.get_by_label("Password").fill("moderate-carefully")
    page.get_by_role("button", name="Log in").click()
    pending = page.locator("#result_list tr[data-status=pending]")
    expect(pending).to_have_count(QUEUE_SIZE)
    # The oldest pending reaction has the focus, and it shows.
    first = page.locator("#result_list tbody tr").first
    expect(first).to_be_focused()
    expect(first).to_contain_text("Reaction 0:")
    page.screenshot(path=screenshot_dir / "queue-1280.png")

    # One click on a row's Approve: the row changes in place, no reload.
    page.evaluate("window.__sameDocument = true")
    first.get_by_role("button", name="Approve").click()
    expect(first.locator("[data-status]")).to_have_text("Approved")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Approved: the reaction from Fan 0")

    # "?" lists the keys.
    page.keyboard.press("?")
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("?")
    expect(page.get_by_role("dialog")).to_be_hidden()

    # Reject with a reason picked in place: r, then 3 (off-topic).
    second = page.locator("#result_list tbody tr").nth(1)
    expect(second).to_be_focused()
    page.keyboard.press("r")
    expect(second.locator("select")).to_be_focused()
    page.keyboard.press("3")
    expect(second.locator("[data-status]")).to_have_text("Rejected")

    # Spam, then undo it: back to pending, and both are on the record.
    third = page.locator("#result_list tbody tr").nth(2)
    page.keyboard.press("s")
    expect(third.locator("[data-status]")).to_have_text("Spam")
    page.keyboard.press("u")
    expect(third.locator("[data-status]")).to_have_text("Pending")
    expect(status).to_contain_text("Undone")
    page.keyboard.press("f")
    expect(third.locator("[data-status]")).to_have_text("Approved, featured")

    # x selects the row for a bulk action; j and k move.
    page.keyboard.press("k")
    page.keyboard.press("x")
    expect(third.locator("input.action-select")).to_be_checked()
    page.keyboard.press("x")
    page.keyboard.press("j")

    # The rest by "a" alone, each answered before the next key.
    timings = []
    started = time.monotonic()
    for remaining in range(QUEUE_SIZE - 3, 0, -1):
        before = time.monotonic()
        page.keyboard.press("a")
        expect(pending).to_have_count(remaining - 1)
        timings.append(time.monotonic() - before)
    elapsed = time.monotonic() - started
    assert page.evaluate("window.__sameDocument") is True
    assert elapsed < 180, f"clearing the queue took {elapsed:.0f} s"
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else 0
    print(
        f"\nqueue: {len(timings)} keyboard decisions in {elapsed:.1f} s, "
        f"p95 key-to-row {p95 * 1000:.0f} ms"
    )
    statuses = dict(FanReaction.objects.values_list("display_name", "status"))
    assert set(statuses.values()) <= {"approved", "rejected"}
    assert statuses["Fan 1"] == "rejected"
    assert FanReaction.objects.get(display_name="Fan 2").is_featured
    assert ReactionDecision.objects.filter(action="undo", decided_by=user).count() == 1
    assert ReactionDecision.objects.filter(decided_by=user).count() == QUEUE_SIZE + 2
    page.screenshot(path=screenshot_dir / "queue-cleared-1280.png")
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=screenshot_dir / "queue-375.png")
    page.context.close()


def test_reader_reports_a_reaction_from_a_cached_page(
    live_server, browser, settings, screenshot_dir
):
    settings.PAGE_CACHE_ENABLED = True
    story = StoryFactory(headline="SEVENTEEN's world tour adds Seoul", slug="svt-tour")
    reaction = FanReaction.objects.create(
        article=story,
        display_name="Carat",
        message="Buy my fake tickets at www.scam.test",
        fingerprint="f" * 64,
        message_digest=message_digest("x"),
        status=FanReaction.Status.APPROVED,
    )
    # Scripts off: the form must work as plain HTML, from the shared cached copy.
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    page.goto(live_server.url + story.get_absolute_url())  # served from the cache
    item = page.locator(".reaction", has_text="fake tickets")
    item.get_by_text("Report", exact=True).click()
    item.get_by_label("Spam or advertising").check()
    item.screenshot(path=screenshot_dir / "report-open-375.png")
    item.get_by_role("button", name="Send report").click()
    page.get_by_role("button", name="Confirm the report").click()
    expect(page.get_by_role("status")).to_contain_text("A moderator will read it")
    report = reaction.reports.get()
    assert report.reason == "spam" and report.settled_at is None
    context.close()
