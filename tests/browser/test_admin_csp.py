"""The admin works under the site's strict CSP: no violations, editor assets load."""

import pytest
from playwright.sync_api import expect

from articles.models import Article

PASSWORD = "correct-horse-battery-42"


def collect_problems(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type in {"error", "warning"}
            and "favicon.ico" not in (message.location or {}).get("url", "")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    # Loads cut short by navigating away (ERR_ABORTED) are not failures.
    page.on(
        "requestfailed",
        lambda request: (
            problems.append(f"failed: {request.url} {request.failure}")
            if "ERR_ABORTED" not in (request.failure or "")
            else None
        ),
    )
    # The browser's own favicon probe is not the admin's doing.
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status}: {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    return problems


def log_in(page, base_url: str) -> None:
    page.goto(base_url + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base_url + "/admin/")


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", "", PASSWORD)


def test_admin_login_and_change_form_have_no_csp_errors(
    live_server, page, chief, screenshot_dir
):
    problems = collect_problems(page)
    page.goto(live_server.url + "/admin/login/")
    expect(page.get_by_label("Two-factor code")).to_be_visible()
    page.screenshot(path=screenshot_dir / "admin-login-1280.png")
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_label("Headline").press_sequentially("IU: Love wins all")
    # Our own scripts ran: the headline's character count follows the typing.
    expect(page.locator("#id_headline_count")).to_have_text("17 / 200 characters")
    assert not [p for p in problems if "Content Security Policy" in p], problems
    assert problems == [], "\n".join(problems)


def test_prose_editor_loads_under_the_csp(live_server, page, chief, screenshot_dir):
    problems = collect_problems(page)
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/articles/article/add/")
    editor = page.locator(".prose-editor [contenteditable=true]").first
    expect(editor).to_be_visible()
    page.get_by_label("Headline").fill("IU talks about the cold")
    editor.click()
    page.keyboard.type("IU spoke to the magazine.")
    page.screenshot(path=screenshot_dir / "admin-prose-editor-1280.png")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    story = Article.objects.get(headline="IU talks about the cold")
    assert "IU spoke to the magazine." in story.body
    assert problems == [], "\n".join(problems)
