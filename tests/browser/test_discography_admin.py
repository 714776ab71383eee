"""An editor drags a track to a new place in the tracklist and saves."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.artists.factories import ArtistFactory
from tests.discography.factories import ReleaseFactory, TrackFactory


@pytest.fixture
def release(transactional_db):
    User.objects.create_superuser("editor", "editor@example.com", "pw-123456")
    release = ReleaseFactory(title="The Winning", artists=[ArtistFactory(name="IU")])
    for position, title in enumerate(["Shopper", "Holssi", "Love wins all"], 1):
        TrackFactory(release=release, position=position, title=title)
    return release


def test_editor_drags_a_track_to_the_top(live_server, page, release, screenshot_dir):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw-123456")
    page.click("input[type=submit]")
    page.goto(live_server.url + f"/admin/discography/release/{release.pk}/change/")

    rows = page.locator("#tracks-group tbody tr.form-row.has_original")
    expect(rows).to_have_count(3)
    rows.nth(2).locator(".drag-handle").drag_to(
        rows.nth(0), target_position={"x": 5, "y": 2}
    )
    titles = page.locator('#tracks-group input[name$="-title"]:visible')
    positions = page.locator('#tracks-group input[name$="-position"]:visible')
    expect(titles.nth(0)).to_have_value("Love wins all")
    assert [positions.nth(i).input_value() for i in range(3)] == ["1", "2", "3"]
    page.screenshot(path=screenshot_dir / "admin-release-drag-1280.png", full_page=True)

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert [t.title for t in release.tracks.order_by("position")] == [
        "Love wins all",
        "Shopper",
        "Holssi",
    ]
