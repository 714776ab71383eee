"""The pages readers and staff see when something is refused or unavailable."""

import base64
from unittest import mock

from django.contrib.auth.models import Group
from django.db import OperationalError
from django.test import override_settings
from django_otp.oath import totp
from playwright.sync_api import expect

from newsroom.groups import EDITORS


def test_database_outage_page_is_calm_and_in_the_site_design(
    live_server, page, screenshot_dir
):
    broken = mock.Mock()
    broken.objects.published.side_effect = OperationalError("connection refused")
    with mock.patch("newsroom.views.Article", broken):
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            response = page.goto(live_server.url + "/")
            assert response.status == 503
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "We'll be back in a moment"
            )
            expect(page.locator(".site-header .site-name")).to_be_visible()
            page.screenshot(path=screenshot_dir / f"503-{width}.png", full_page=True)


def test_lockout_page_after_repeated_failed_logins(
    live_server, page, django_user_model, screenshot_dir
):
    django_user_model.objects.create_user(
        "min-ji", password="right-pass-1234", is_staff=True
    )
    for _ in range(5):
        page.goto(live_server.url + "/admin/login/")
        page.get_by_label("Username").fill("min-ji")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in paused")
    expect(page.get_by_text("about 15 minutes")).to_be_visible()
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=screenshot_dir / f"lockout-{width}.png", full_page=True)


@override_settings(REQUIRE_2FA_FOR_EDITORS=True)
def test_an_editor_sets_up_two_factor_login_and_then_needs_it(
    live_server, page, django_user_model, screenshot_dir
):
    editor = django_user_model.objects.create_user(
        "ji-woo", password="right-pass-1234", is_staff=True
    )
    editor.groups.add(Group.objects.get_or_create(name=EDITORS)[0])

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("ji-woo")
    page.get_by_label("Password").fill("right-pass-1234")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errornote")).to_contain_text("requires two-factor login")
    page.screenshot(path=screenshot_dir / "two-factor-required-1280.png")

    page.get_by_role("link", name="Set up two-factor login").click()
    expect(page.get_by_role("img", name="QR code")).to_be_visible()
    page.screenshot(path=screenshot_dir / "two-factor-setup-1280.png")
    secret = page.locator("code").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code from your app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-factor login").click()
    expect(page).to_have_url(live_server.url + "/admin/")
    expect(page.locator("#site-name")).to_be_visible()

    # From now on the password alone is not enough.
    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("ji-woo")
    page.get_by_label("Password").fill("right-pass-1234")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errornote")).to_contain_text("two-factor login")
