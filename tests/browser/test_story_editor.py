"""The story editor in Chromium: tags, a refused save, live preview, post cards,
autosave across a closed tab and the leave-page warning (one data set)."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect
from taggit.models import Tag

from articles.models import Article, WorkingCopy
from newsroom.groups import EDITORS, sync_groups
from tests.articles.factories import ArticleFactory
from tests.photos.factories import make_photo

X_URL = "https://x.com/lilacnotes/status/1762049872336609286"
PASSWORD = "pw-for-browser-1"


def log_in(page, live_server) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Editors’ desk")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_story_editor_keeps_work_previews_and_helps(
    live_server, browser, settings, tmp_path, screenshot_dir
):
    settings.STORY_AUTOSAVE_SECONDS = 1  # 12 s in production
    sync_groups()
    erin = User.objects.create_user("erin", "erin@example.com", PASSWORD, is_staff=True)
    erin.groups.add(Group.objects.get(name=EDITORS))
    ArticleFactory(published=True, headline="Older IU story").tags.add("IU")
    photo = make_photo("IU on stage in Seoul", uploaded_by=erin)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")

    # Tag autocomplete: typing "iu" offers the existing "IU" with its story count.
    page.get_by_label("Headline").fill("IU opens her world tour")
    tags = page.locator("#id_tags")
    tags.fill("iu")
    option = page.get_by_role("option", name="IU 1 story")
    expect(option).to_be_visible()
    option.click()
    expect(tags).to_have_value("IU, ")

    # A refused save (no headline) keeps the chosen library picture.
    page.get_by_role("button", name="Choose a picture").click()
    dialog = page.locator("dialog.photo-dialog")
    dialog.get_by_role("searchbox").fill("stage in Seoul")
    expect(dialog.locator(".photo-dialog__item")).to_have_count(1)
    dialog.locator(".photo-dialog__item").first.click()
    page.get_by_label("Headline").fill("")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".errorlist").first).to_contain_text("required")
    expect(page.locator(".photo-chooser__label")).to_have_text("IU on stage in Seoul")
    page.get_by_label("Headline").fill("IU opens her world tour")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    story = Article.objects.get(headline="IU opens her world tour")
    assert story.hero_photo == photo and story.hero_width == photo.width
    assert list(story.tags.names()) == ["IU"] and Tag.objects.count() == 1

    # The live preview follows typing, in the reader's template.
    page.get_by_role("button", name="Live preview").click()
    frame = page.frame_locator("#live-preview iframe")
    expect(frame.locator("h1")).to_have_text("IU opens her world tour")
    page.get_by_label("Headline").fill("IU opens her world tour in Seoul")
    expect(frame.locator("h1")).to_have_text(
        "IU opens her world tour in Seoul", timeout=2000
    )

    # A pasted X post shows as a card at once, with what its address tells.
    body = page.locator(".ProseMirror[contenteditable=true]")
    body.click()
    page.keyboard.type("Fans cheered all night.")
    page.keyboard.press("Enter")
    page.keyboard.insert_text(X_URL)
    page.keyboard.press("Enter")
    cards = page.locator("#post-cards")
    expect(cards).to_contain_text("@lilacnotes")
    expect(cards).to_contain_text("26 Feb 2024")
    expect(cards).to_contain_text("without its text")
    expect(frame.locator("[data-embed-card]")).to_contain_text("@lilacnotes")
    page.screenshot(path=screenshot_dir / "story-editor-1280.png", full_page=True)

    # Autosave keeps the typing; the tab closes without saving.
    def saves_the_dek(response) -> bool:
        posted = response.request.post_data or ""
        return "/working-copy/" in response.url and "Forty+thousand" in posted

    with page.expect_response(saves_the_dek, timeout=5000):
        page.get_by_label("Summary (dek)").fill("Forty thousand fans in two nights.")
    expect(page.locator("#autosave-status")).to_contain_text("kept at")
    context.close()
    assert WorkingCopy.objects.get().data["dek"] == "Forty thousand fans in two nights."
    story.refresh_from_db()
    assert story.dek == ""

    # Opening the story again offers the copy back with its time.
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    expect(page.locator(".working-copy")).to_contain_text("You have unsaved changes")
    page.get_by_role("link", name="Restore them").click()
    expect(page.get_by_label("Summary (dek)")).to_have_value(
        "Forty thousand fans in two nights."
    )
    expect(page.locator("#post-cards")).to_contain_text("@lilacnotes")
    page.screenshot(path=screenshot_dir / "story-editor-375.png", full_page=True)

    # Leaving with unsaved changes asks first; staying keeps the page.
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_label("Headline").click()  # the warning needs a user gesture
    page.locator(".breadcrumbs a").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert "/change/" in page.url
    # A successful save leaves without asking, and spends the copy.
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert dialogs == ["beforeunload"]
    story.refresh_from_db()
    assert story.dek == "Forty thousand fans in two nights."
    assert not WorkingCopy.objects.exists()
    context.close()
