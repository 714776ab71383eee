"""A reader abroad reads the comeback calendar in their own time (issue 22)."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from discography.models import Event
from tests.discography.factories import EventFactory

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def showcase(transactional_db):
    day = timezone.now().astimezone(SEOUL).date() + datetime.timedelta(days=2)
    starts_at = datetime.datetime.combine(day, datetime.time(18), SEOUL)
    return EventFactory(
        title="IU showcase", kind=Event.Kind.SHOWCASE, starts_at=starts_at
    )


def test_the_script_adds_the_readers_time_and_the_page_reads_without_it(
    live_server, browser, showcase
):
    abroad = browser.new_context(timezone_id="America/New_York", locale="en-US")
    page = abroad.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(live_server.url + "/calendar/")
        row = page.locator(f"#event-{showcase.pk}")
        expect(row.locator("time")).to_contain_text("18:00 KST")
        local = showcase.starts_at.astimezone(NEW_YORK)
        hour = local.strftime("%I").lstrip("0")
        expect(row.locator("[data-local-out]")).to_be_visible()
        expect(row.locator("[data-local-out]")).to_contain_text("Your time:")
        expect(row.locator("[data-local-out]")).to_contain_text(f"{hour}:00")
        expect(row.locator("[data-local-out]")).to_contain_text("EST")
        assert errors == []  # no CSP refusal: the script is a static file
    finally:
        abroad.close()
    without_script = browser.new_context(java_script_enabled=False)
    page = without_script.new_page()
    try:
        page.goto(live_server.url + "/calendar/")
        row = page.locator(f"#event-{showcase.pk}")
        expect(row).to_contain_text("18:00 KST")
        expect(row).to_contain_text("09:00 UTC")
        expect(row.locator("[data-local-out]")).to_be_hidden()
    finally:
        without_script.close()
