import pytest

from articles.matching import mentions, mentions_in, story_text, suggest_related
from tests.articles.factories import (
    ArticleFactory,
    ArtistFactory,
    ReleaseFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "name", "found"),
    [
        ("IU talks about her album", "IU", True),
        ("iu talks", "IU", True),
        ("The IUD is not a singer", "IU", False),
        ("a review of NewJeans' single", "NewJeans", True),
        ("Love wins  all, again", "Love wins all", True),
        ("she said Shh.. quietly", "Shh..", True),
        ("BTS member V joined", "V", True),
        ("vitamin v is not a name", "V", False),
        ("아이유가 말했다", "아이유", False),  # particles attached: not a whole word
        ("아이유 인터뷰", "아이유", True),
    ],
)
def test_names_match_whole_words_case_insensitively(text, name, found):
    assert mentions(text, name) is found


def test_matcher_finds_artists_releases_and_tracks_in_all_parts():
    iu = ArtistFactory(name="IU")
    ArtistFactory(name="Nobody Here")
    release = ReleaseFactory(title="The Winning")
    track = TrackFactory(release=release, title="Holssi")
    text = story_text(
        headline="IU returns",
        dek="About The Winning",
        body="<p>Her song <em>Holssi</em> &amp; more</p>",
    )
    found = mentions_in(text)
    assert found.artists == [iu]
    assert found.releases == [release]
    assert found.tracks == [track]


def test_suggestions_leave_out_what_is_already_linked():
    iu, v = ArtistFactory(name="IU"), ArtistFactory(name="V")
    story = ArticleFactory(headline="IU and V", body="")
    story.artists.add(iu)
    assert suggest_related(story).artists == [v]
    story.artists.add(v)
    assert not suggest_related(story)
