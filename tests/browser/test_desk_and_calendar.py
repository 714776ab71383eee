"""Writers and editors at their desks: withdraw, read a diff, move a story."""

from __future__ import annotations

import datetime

import pytest
import reversion
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import expect

from articles import services
from articles.models import Article
from newsroom.groups import EDITORS, WRITERS, sync_groups
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "pw-for-browser-1"


def staff(username: str, group: str) -> User:
    sync_groups()
    user = User.objects.create_user(username, "", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(browser, live_server, username: str, width: int = 1280):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#desk-heading")).to_be_visible()
    return page


def test_writer_withdraws_editor_reads_diff_and_moves_a_story(
    live_server, browser, screenshot_dir
):
    alice = staff("alice", WRITERS)
    staff("erin", EDITORS)
    waiting = ArticleFactory(created_by=alice, headline="aespa comeback date")
    services.submit_for_review(article=waiting, by=alice, note="Checked the date.")
    ArticleFactory(created_by=alice, headline="Alice's other draft")
    edited = ArticleFactory(headline="NCT WISH debut", body="<p>They debut.</p>")
    with reversion.create_revision():
        edited.save()
    with reversion.create_revision():
        edited.headline = "NCT WISH debut in Seoul"
        edited.body = "<p>They debut on Friday.</p>"
        edited.save()
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    planned = ArticleFactory(headline="Seventeen feature", planned_for=monday)

    # The writer: their desk, then the story in review, withdrawn to draft.
    writer = log_in(browser, live_server, "alice")
    expect(writer.locator("#desk-heading")).to_have_text("Your desk")
    writer.screenshot(path=screenshot_dir / "desk-writer-1280.png", full_page=True)
    writer.locator(".desk").get_by_role("link", name="aespa comeback date").click()
    writer.get_by_role("button", name="Withdraw from review").click()
    expect(writer.locator(".messagelist")).to_contain_text("Withdrawn from review")
    writer.set_viewport_size({"width": 375, "height": 800})
    writer.goto(live_server.url + "/admin/")
    writer.screenshot(path=screenshot_dir / "desk-writer-375.png", full_page=True)
    writer.context.close()
    waiting.refresh_from_db()
    assert waiting.status == Article.Status.DRAFT

    # The editor: the desk, a diff of the two versions, then the calendar.
    editor = log_in(browser, live_server, "erin")
    editor.screenshot(path=screenshot_dir / "desk-editor-1280.png", full_page=True)
    editor.goto(live_server.url + f"/admin/articles/article/{edited.pk}/history/")
    diff = editor.locator(".desk-diff")
    expect(diff.locator("td ins").first).to_have_text("in Seoul")
    expect(diff).to_contain_text("Friday.")
    editor.screenshot(path=screenshot_dir / "history-diff-1280.png", full_page=True)

    editor.goto(live_server.url + "/admin/calendar/")
    story = editor.locator(".planning__story", has_text="Seventeen feature")
    target = monday + datetime.timedelta(days=4)
    story.locator("input[type=date]").fill(target.isoformat())
    story.get_by_role("button", name="Move").click()
    expect(editor.locator(".messagelist")).to_contain_text("planned for")
    moved = editor.locator(f'td[data-day="{target.isoformat()}"]')
    expect(moved).to_contain_text("Seventeen feature")
    editor.screenshot(path=screenshot_dir / "calendar-1280.png", full_page=True)
    editor.context.close()
    planned.refresh_from_db()
    assert planned.planned_for == target and planned.published_at is None
