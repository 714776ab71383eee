"""The table of pasted URL shapes an editor may bring, and what each one means."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from articles.social_urls import X_RESERVED, Platform, PostRef, parse_post_url

X, YT, IG, TT = Platform.X, Platform.YOUTUBE, Platform.INSTAGRAM, Platform.TIKTOK
YT_CANON = "https://www.youtube.com/watch?v=JleoAppaxi0"

MATCHES = [
    # X / Twitter
    ("https://x.com/lilacnotes/status/1750000000000000001", X, "1750000000000000001", "https://x.com/lilacnotes/status/1750000000000000001"),
    ("https://twitter.com/lilacnotes/status/1750000000000000001", X, "1750000000000000001", "https://x.com/lilacnotes/status/1750000000000000001"),
    ("https://mobile.twitter.com/lilacnotes/status/1750000000000000001", X, "1750000000000000001", "https://x.com/lilacnotes/status/1750000000000000001"),
    ("https://www.twitter.com/lilacnotes/status/42", X, "42", "https://x.com/lilacnotes/status/42"),
    ("http://x.com/lilacnotes/status/42", X, "42", "https://x.com/lilacnotes/status/42"),
    ("https://x.com/lilacnotes/status/42/", X, "42", "https://x.com/lilacnotes/status/42"),
    ("https://x.com/lilacnotes/status/42?s=20", X, "42", "https://x.com/lilacnotes/status/42"),
    ("https://x.com/lilacnotes/status/42?s=46&t=AbCdEf-123", X, "42", "https://x.com/lilacnotes/status/42"),
    ("https://twitter.com/lilacnotes/status/42#reply", X, "42", "https://x.com/lilacnotes/status/42"),
    ("https://X.COM/LilacNotes/status/42", X, "42", "https://x.com/LilacNotes/status/42"),
    ("https://x.com./lilacnotes/status/42", X, "42", "https://x.com/lilacnotes/status/42"),
    ("https://x.com:443/lilacnotes/status/42", X, "42", "https://x.com/lilacnotes/status/42"),
    ("https://twitter.com/lilacnotes/statuses/42", X, "42", "https://x.com/lilacnotes/status/42"),
    ("https://x.com/lilacnotes/status/42/photo/1", X, "42", "https://x.com/lilacnotes/status/42"),
    ("https://x.com/lilacnotes/status/42/video/1", X, "42", "https://x.com/lilacnotes/status/42"),
    ("https://twitter.com/i/web/status/42", X, "42", "https://x.com/i/status/42"),
    ("https://x.com/i/status/42", X, "42", "https://x.com/i/status/42"),
    ("https://twitter.com/#!/lilacnotes/status/42", X, "42", "https://x.com/lilacnotes/status/42"),
    ("  https://x.com/lilacnotes/status/42  ", X, "42", "https://x.com/lilacnotes/status/42"),
    # YouTube
    ("https://www.youtube.com/watch?v=JleoAppaxi0", YT, "JleoAppaxi0", YT_CANON),
    ("https://youtube.com/watch?v=JleoAppaxi0", YT, "JleoAppaxi0", YT_CANON),
    ("https://m.youtube.com/watch?v=JleoAppaxi0&feature=share", YT, "JleoAppaxi0", YT_CANON),
    ("https://www.youtube.com/watch?feature=shared&v=JleoAppaxi0&t=42s", YT, "JleoAppaxi0", YT_CANON),
    ("https://www.youtube.com/watch/?v=JleoAppaxi0", YT, "JleoAppaxi0", YT_CANON),
    ("https://youtu.be/JleoAppaxi0", YT, "JleoAppaxi0", YT_CANON),
    ("https://youtu.be/JleoAppaxi0?si=AbCdEfGh12345678", YT, "JleoAppaxi0", YT_CANON),
    ("https://youtu.be/JleoAppaxi0?t=30", YT, "JleoAppaxi0", YT_CANON),
    ("https://www.youtube.com/shorts/JleoAppaxi0", YT, "JleoAppaxi0", YT_CANON),
    ("https://youtube.com/shorts/JleoAppaxi0?feature=share", YT, "JleoAppaxi0", YT_CANON),
    ("https://www.youtube.com/embed/JleoAppaxi0", YT, "JleoAppaxi0", YT_CANON),
    ("https://www.youtube-nocookie.com/embed/JleoAppaxi0?rel=0", YT, "JleoAppaxi0", YT_CANON),
    ("https://www.youtube.com/live/JleoAppaxi0", YT, "JleoAppaxi0", YT_CANON),
    ("https://music.youtube.com/watch?v=JleoAppaxi0&list=RDAMVM", YT, "JleoAppaxi0", YT_CANON),
    # Instagram
    ("https://www.instagram.com/p/C2abcDEF_12/", IG, "C2abcDEF_12", "https://www.instagram.com/p/C2abcDEF_12/"),
    ("https://instagram.com/p/C2abcDEF_12", IG, "C2abcDEF_12", "https://www.instagram.com/p/C2abcDEF_12/"),
    ("https://www.instagram.com/p/C2abcDEF_12/?utm_source=ig_web_copy_link&igsh=MzRl", IG, "C2abcDEF_12", "https://www.instagram.com/p/C2abcDEF_12/"),
    ("https://www.instagram.com/reel/C3xyz-98765/", IG, "C3xyz-98765", "https://www.instagram.com/reel/C3xyz-98765/"),
    ("https://www.instagram.com/reels/C3xyz-98765/", IG, "C3xyz-98765", "https://www.instagram.com/reel/C3xyz-98765/"),
    ("https://www.instagram.com/some.fan_account/p/C2abcDEF_12/", IG, "C2abcDEF_12", "https://www.instagram.com/p/C2abcDEF_12/"),
    ("https://www.instagram.com/tv/C2abcDEF_12/", IG, "C2abcDEF_12", "https://www.instagram.com/p/C2abcDEF_12/"),
    # TikTok
    ("https://www.tiktok.com/@stage.notes/video/7327000000000000001", TT, "7327000000000000001", "https://www.tiktok.com/@stage.notes/video/7327000000000000001"),
    ("https://tiktok.com/@stage.notes/video/7327000000000000001?is_from_webapp=1&sender_device=pc", TT, "7327000000000000001", "https://www.tiktok.com/@stage.notes/video/7327000000000000001"),
    ("https://m.tiktok.com/@stage_notes/video/7327000000000000001/", TT, "7327000000000000001", "https://www.tiktok.com/@stage_notes/video/7327000000000000001"),
]  # fmt: skip

NON_MATCHES = [
    "https://x.com/lilacnotes",  # a profile page
    "https://twitter.com/lilacnotes/",
    "https://x.com/search?q=%EC%95%84%EC%9D%B4%EC%9C%A0&src=typed_query",  # a search
    "https://x.com/hashtag/LoveWinsAll",
    "https://x.com/explore",
    "https://x.com/home",
    "https://x.com/lilacnotes/likes",
    "https://x.com/lilacnotes/status/",  # no id
    "https://x.com/lilacnotes/status/12ab",
    "https://x.com/lilacnotes/status/42/likes",
    "https://twitter.com/i/lists/1234567890",  # X pages that are not posts
    "https://twitter.com/i/spaces/1YqKDqWqdPLGV",
    "https://twitter.com/i/events/1750000000000000001",
    "https://twitter.com/intent/tweet?text=hello",
    "https://x.com.evil.example/lilacnotes/status/42",  # lookalike hosts
    "https://evilx.com/lilacnotes/status/42",
    "https://notx.com/lilacnotes/status/42",
    "https://x.com@evil.example/lilacnotes/status/42",  # userinfo hides the host
    "https://twitter.com.example.org/lilacnotes/status/42",
    "https://x.com:8443/lilacnotes/status/42",
    "ftp://x.com/lilacnotes/status/42",
    "javascript:alert(1)//x.com/lilacnotes/status/42",
    "x.com/lilacnotes/status/42",  # no scheme: plain text, not a link
    "https://www.youtube.com/@dlwlrma",  # a channel page
    "https://www.youtube.com/channel/UC3SyT4_WLHzN7JmHQwKQZww",
    "https://www.youtube.com/c/dlwlrma/videos",
    "https://www.youtube.com/user/example",
    "https://www.youtube.com/playlist?list=PL0123456789",
    "https://www.youtube.com/results?search_query=love+wins+all",
    "https://www.youtube.com/watch",
    "https://www.youtube.com/watch?v=short",
    "https://www.youtube.com/watch?v=JleoAppaxi0&v=Abcdefghijk",  # ambiguous
    "https://youtu.be/",
    "https://youtube.com.evil.example/watch?v=JleoAppaxi0",
    "https://www.instagram.com/dlwlrma/",  # an Instagram profile
    "https://www.instagram.com/explore/tags/iu/",
    "https://www.instagram.com/stories/somefan/3300000000000000000/",
    "https://www.instagram.com/p/",
    "https://www.tiktok.com/@stage.notes",  # a TikTok profile
    "https://www.tiktok.com/tag/kpop",
    "https://vm.tiktok.com/ZMabc123/",  # a short link needs the network to resolve
    "https://www.tiktok.com/@stage.notes/video/notanumber",
    "https://example.com/lilacnotes/status/42",
    "https://[::1/lilacnotes/status/42",  # broken IPv6 literal
    "",
    "not a url at all",
]


@pytest.mark.parametrize(("url", "platform", "post_id", "canonical"), MATCHES)
def test_post_urls_are_recognised_with_their_canonical_form(
    url, platform, post_id, canonical
):
    assert parse_post_url(url) == PostRef(platform, post_id, canonical)


@pytest.mark.parametrize("url", NON_MATCHES)
def test_other_links_stay_ordinary_links(url):
    assert parse_post_url(url) is None


def test_the_table_covers_at_least_forty_shapes():
    assert len(MATCHES) + len(NON_MATCHES) >= 40
    assert {row[1] for row in MATCHES} == set(Platform)


def test_canonical_urls_parse_back_to_themselves():
    for url, *_ in MATCHES:
        ref = parse_post_url(url)
        assert parse_post_url(ref.canonical_url) == ref


@given(st.text(max_size=300))
def test_any_text_is_either_a_post_or_none_and_never_an_error(text):
    ref = parse_post_url(text)
    assert ref is None or ref.canonical_url.startswith("https://")


@given(st.from_regex(r"https://x\.com/[a-z_]{1,15}/status/[0-9]{1,19}", fullmatch=True))
def test_every_plain_status_url_is_an_x_post(url):
    assume(url.split("/")[3] not in X_RESERVED)
    ref = parse_post_url(url)
    assert ref is not None and ref.platform == Platform.X
