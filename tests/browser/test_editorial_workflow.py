"""A writer drafts and submits in the admin, an editor publishes, a reader finds it."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from newsroom.groups import EDITORS, WRITERS, sync_groups

HEADLINE = "NewJeans announce a surprise fan meeting"


def staff(username: str, group: str) -> User:
    sync_groups()  # transactional tests flush tables; the groups come back here
    user = User.objects.create_user(
        username, f"{username}@example.com", "pw-for-browser-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-browser-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#desk-heading")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_writer_submits_editor_publishes_reader_finds_it(
    live_server, browser, screenshot_dir
):
    staff("wendy", WRITERS)
    staff("eddie", EDITORS)

    # The writer drafts the story in the rich-text editor and submits it.
    writer = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(writer, live_server, "wendy")
    writer.get_by_role("link", name="Write a story").click()
    writer.get_by_label("Headline").fill(HEADLINE)
    writer.get_by_label("Summary (dek)").fill("The group will meet fans next month.")
    editor_box = writer.locator(".ProseMirror[contenteditable=true]")
    editor_box.click()
    editor_box.type("The agency confirmed the date in a short statement.")
    writer.get_by_role("button", name="Save and submit for review").click()
    expect(writer.locator(".messagelist")).to_contain_text("Submitted for review")
    writer.screenshot(path=screenshot_dir / "editorial-writer-submitted.png")
    writer.context.close()

    # The editor finds it on the desk and publishes it.
    editor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(editor, live_server, "eddie")
    editor.locator(".desk").get_by_role("link", name=HEADLINE).click()
    editor.get_by_role("button", name="Approve and publish").click()
    expect(editor.locator(".messagelist")).to_contain_text("Published")
    editor.context.close()

    # A reader finds it on the home page and reads it.
    reader = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    reader.goto(live_server.url + "/")
    reader.get_by_role("link", name=HEADLINE).first.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(reader.locator(".story__body")).to_contain_text("confirmed the date")
    expect(reader.locator(".byline")).to_contain_text("wendy")
    reader.screenshot(path=screenshot_dir / "editorial-reader-375.png", full_page=True)
    reader.context.close()


@pytest.mark.django_db(transaction=True)
def test_editor_revokes_a_drafts_share_links(live_server, browser):
    """The button sits inside the story form (formaction): a real browser posts it
    with the form's CSRF token, and the old link stops working at once."""
    from tests.articles.factories import ArticleFactory

    eddie = staff("eddie", EDITORS)
    story = ArticleFactory(created_by=eddie, headline="Secret comeback plan")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, live_server, "eddie")
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    link = page.locator("#share-url")
    old = link.input_value()
    page.get_by_role("button", name="Revoke share links").click()
    expect(page.locator(".messagelist")).to_contain_text("Share links revoked")
    new = page.locator("#share-url").input_value()
    assert new != old
    reader = browser.new_context().new_page()
    assert reader.goto(old).status == 404
    assert reader.goto(new).status == 200
    expect(reader.get_by_role("heading", level=1)).to_have_text("Secret comeback plan")
    reader.context.close()
    page.context.close()
