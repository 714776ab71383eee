"""Issue 18: crops for cards (16:9, 1:1, 4:5) keep the focal point in frame; moving
the point makes new crops under new names (cached for ever, never stale)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from photos.crops import CROP_RATIOS, crop_box
from tests.photos.factories import make_photo

pytestmark = pytest.mark.django_db


@given(
    width=st.integers(1, 5000),
    height=st.integers(1, 5000),
    ratio=st.sampled_from(list(CROP_RATIOS.values())),
    x=st.floats(0, 1),
    y=st.floats(0, 1),
)
def test_the_focal_point_is_always_inside_the_crop(width, height, ratio, x, y):
    left, top, right, bottom = crop_box(width, height, ratio, x, y)
    assert 0 <= left < right <= width and 0 <= top < bottom <= height
    assert left <= x * width <= right + 1 and top <= y * height <= bottom + 1
    # The largest box of that shape: one side is the image's whole side.
    assert right - left >= width - 1 or bottom - top >= height - 1


def test_a_photo_gets_crops_that_follow_its_focal_point(client):
    photo = make_photo(width=1200, height=600)  # wide: a square crop must choose
    square = photo.crop("1x1")
    assert square and "/renditions/crops/" in square.src
    assert (square.width, square.height) == (600, 600)
    assert all(photo.crop(ratio) for ratio in CROP_RATIOS)
    old_names = {entry["name"] for entry in photo.crops}
    assert client.get(square.src)["Cache-Control"].endswith("immutable")

    photo.focal_x = 0.9  # the subject stands on the right
    photo.save()
    moved = photo.crop("1x1")
    assert moved and "f90x50" in moved.src
    assert not old_names & {entry["name"] for entry in photo.crops}
    assert client.get(square.src).status_code == 404  # the old crop is gone


def test_the_gallery_shows_square_crops():
    from articles.figures import render_figures

    photo = make_photo(width=1200, height=600)
    html = render_figures(f'<figure data-gallery="{photo.pk}"></figure>')
    assert "/renditions/crops/" in html and "1x1-f50x50" in html
    assert 'width="600" height="600"' in html
