"""Lone post URLs in a story body: found, linked on save, rendered as private cards."""

import datetime

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.embeds import (
    find_post_refs,
    prefetch_social_posts,
    render_body_with_embeds,
    sync_social_posts,
)
from articles.models import Article, SocialPost
from articles.social_demo import DEMO_POST_URLS, load_demo_posts
from articles.social_urls import Platform, PostRef

X_URL = "https://x.com/lilac_notes_fan/status/1750091641508766131"
X_URL_2 = "https://twitter.com/wintersetlist/status/1762813661795173607?s=20"
YT_URL = "https://www.youtube.com/watch?v=JleoAppaxi0"


@pytest.fixture(autouse=True)
def _oembed_off(settings):
    settings.EMBEDS_OEMBED_ENABLED = False


def make_story(body: str, slug: str = "a-story", **fields) -> Article:
    return Article.objects.create(
        headline=fields.pop("headline", "A story"),
        slug=slug,
        body=body,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(hours=1),
        **fields,
    )


# -- finding lone URLs -------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph",
    [
        f"<p>{X_URL}</p>",
        f"<p>  {X_URL}\n</p>",
        f'<p><a href="{X_URL}">{X_URL}</a></p>',
        f'<p>\n  <a href="{X_URL}" rel="noopener">  {X_URL} </a>\n</p>',
        f'<p><a title="post" href="{X_URL}">{X_URL}</a></p>',
        f"<p>{X_URL}<br></p>",
        f"<p>&nbsp;{X_URL}&nbsp;</p>",
        f'<p><a href="{X_URL}?s=20">{X_URL}</a></p>',  # two shapes of the same post
    ],
)
def test_a_post_url_alone_in_a_paragraph_is_found(paragraph):
    body = f"<p>Before.</p>\n{paragraph}\n<p>After.</p>"
    assert [ref.post_id for ref in find_post_refs(body)] == ["1750091641508766131"]


@pytest.mark.parametrize(
    "paragraph",
    [
        f"<p>Fans wrote {X_URL} about it.</p>",  # inside a sentence
        f'<p><a href="{X_URL}">this post</a></p>',  # the link text is not the URL
        f'<p><a href="{X_URL}">{YT_URL}</a></p>',  # text and target disagree
        f"<p><strong>{X_URL}</strong></p>",
        f"<blockquote>{X_URL}</blockquote>",
        "<p>https://x.com/lilac_notes_fan</p>",  # a profile
        "<p>https://x.com.evil.example/a/status/1</p>",
        f"<p>{X_URL} {YT_URL}</p>",  # two URLs in one paragraph
    ],
)
def test_a_url_that_is_not_alone_or_not_a_post_stays_text(paragraph):
    assert find_post_refs(paragraph) == []


def test_each_post_is_found_once_in_reading_order():
    body = f"<p>{YT_URL}</p><p>{X_URL}</p><p>Text</p><p>{X_URL_2}</p><p>{X_URL}</p>"
    assert [ref.platform for ref in find_post_refs(body)] == [
        Platform.YOUTUBE,
        Platform.X,
        Platform.X,
    ]


def test_hostile_or_empty_bodies_find_nothing():
    assert find_post_refs(None) == []
    assert find_post_refs("") == []
    assert find_post_refs("<p>" * 5000) == []
    assert find_post_refs(f'<p><a href="javascript:{X_URL}">{X_URL}</a></p>') == []


# -- linking on save -----------------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_story_creates_and_links_its_posts():
    story = make_story(f"<p>Intro</p><p>{X_URL}</p><p>{YT_URL}</p>")
    posts = list(story.social_posts.order_by("platform"))
    assert [(p.platform, p.post_id) for p in posts] == [
        ("x", "1750091641508766131"),
        ("youtube", "JleoAppaxi0"),
    ]
    x_post = posts[0]
    assert x_post.url == X_URL
    # X ids carry their time, so the card has a date even with the network off.
    assert x_post.posted_at.date() == datetime.date(2024, 1, 24)
    assert x_post.fetched_at is None


@pytest.mark.django_db
def test_one_post_in_two_stories_is_one_record():
    first = make_story(f"<p>{X_URL}</p>", slug="first")
    second = make_story(f'<p><a href="{X_URL}?s=46">{X_URL}?s=46</a></p>', slug="s")
    assert SocialPost.objects.count() == 1
    post = SocialPost.objects.get()
    assert set(post.articles.all()) == {first, second}


@pytest.mark.django_db
def test_removing_the_url_from_the_body_unlinks_the_post_but_keeps_it():
    story = make_story(f"<p>{X_URL}</p><p>{YT_URL}</p>")
    story.body = f"<p>{YT_URL}</p>"
    story.save()
    assert [p.platform for p in story.social_posts.all()] == ["youtube"]
    assert SocialPost.objects.count() == 2


@pytest.mark.django_db
def test_editors_corrections_survive_a_resave():
    story = make_story(f"<p>{X_URL}</p>")
    SocialPost.objects.update(author_name="Lilac Notes", text="Corrected by an editor")
    story.save()
    assert SocialPost.objects.get().text == "Corrected by an editor"


@pytest.mark.django_db
def test_saving_other_fields_only_does_not_touch_the_posts(django_assert_num_queries):
    story = make_story(f"<p>{X_URL}</p>")
    # The article's own save reads its stored slug and version, then UPDATEs; no
    # query touches the posts.
    with django_assert_num_queries(2):
        story.save(update_fields=["headline"])


@pytest.mark.django_db
def test_sync_returns_the_posts_in_body_order():
    story = make_story("<p>No embeds yet</p>")
    story.body = f"<p>{YT_URL}</p><p>{X_URL}</p>"
    posts = sync_social_posts(story)
    assert [p.platform for p in posts] == ["youtube", "x"]


@pytest.mark.django_db
def test_a_story_with_no_posts_has_none():
    assert not make_story("<p>Plain story.</p>").social_posts.exists()


# -- rendering ---------------------------------------------------------------------


def card_post(**fields) -> SocialPost:
    values = {
        "platform": Platform.X,
        "post_id": "1750091641508766131",
        "url": X_URL,
        "author_name": "Lilac Notes",
        "author_handle": "lilac_notes_fan",
        "text": "Short words.",
        "posted_at": datetime.datetime(2024, 1, 24, 9, 42, tzinfo=datetime.UTC),
    }
    return SocialPost(**(values | fields))


def test_a_lone_url_paragraph_renders_as_a_card_with_author_date_and_link():
    html = render_body_with_embeds(
        f"<p>Intro</p><p>{X_URL}</p><p>Outro</p>", [card_post()]
    )
    assert html.startswith("<p>Intro</p>") and html.endswith("<p>Outro</p>")
    assert "data-embed-card" in html and 'data-platform="x"' in html
    assert "Lilac Notes" in html and "@lilac_notes_fan" in html
    assert '<time datetime="2024-01-24T' in html and "24 Jan 2024" in html
    assert f'<a class="embed__link" href="{X_URL}"' in html
    assert "View on X" in html
    assert f"<p>{X_URL}</p>" not in html
    assert "Expand" not in html  # short text needs no control


def test_a_long_post_is_collapsed_behind_an_expand_control_that_needs_no_js():
    long_text = "A line of praise for the video. " * 12
    html = render_body_with_embeds(f"<p>{X_URL}</p>", [card_post(text=long_text)])
    assert "embed__text--long" in html
    assert "<details" in html and "<summary>" in html and "Expand" in html
    assert long_text.strip() in html  # the full text is on the page, clamped by CSS


def test_line_breaks_in_a_post_are_kept():
    html = render_body_with_embeds(
        f"<p>{X_URL}</p>", [card_post(text="one\ntwo\n\nthree")]
    )
    assert "<p>one<br>two</p>" in html and "<p>three</p>" in html


def test_card_fields_are_escaped():
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    post = card_post(
        text=hostile, author_name="<b>Bold</b>", author_handle='"><svg onload=1>'
    )
    html = render_body_with_embeds(f"<p>{X_URL}</p>", [post])
    assert "<script>" not in html and "<img" not in html and "<svg" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;Bold&lt;/b&gt;" in html


def test_the_body_itself_is_sanitized():
    html = render_body_with_embeds(
        '<p onclick="x()">Hi<script>alert(1)</script></p><iframe src="https://e.x">'
        f"</iframe><p>{X_URL}</p>",
        [card_post()],
    )
    assert "onclick" not in html and "<script" not in html and "<iframe" not in html
    assert "data-embed-card" in html


def test_a_post_not_yet_linked_still_renders_what_its_url_tells():
    html = render_body_with_embeds(f"<p>{X_URL}</p>", [])
    assert "data-embed-card" in html and "View on X" in html
    handle = X_URL.split("/")[3]
    assert f"@{handle}" in html  # the handle in the address, with no network


def test_a_post_of_x_i_status_has_no_handle_and_says_post_on_x():
    html = render_body_with_embeds("<p>https://x.com/i/status/20</p>", [])
    assert "Post on X" in html and "@i" not in html


def test_ordinary_links_stay_untouched():
    body = '<p>Read <a href="https://x.com/lilac_notes_fan">her profile</a>.</p>'
    assert 'href="https://x.com/lilac_notes_fan"' in render_body_with_embeds(body)
    assert "data-embed-card" not in render_body_with_embeds(body)


def test_a_video_renders_a_local_placeholder_with_a_play_link_and_no_iframe():
    post = SocialPost(
        platform=Platform.YOUTUBE,
        post_id="JleoAppaxi0",
        url=YT_URL,
        author_name="IU",
        text="IU 'Love wins all' official music video",
    )
    html = render_body_with_embeds(f"<p>{YT_URL}</p>", [post])
    assert 'data-video-id="JleoAppaxi0"' in html and "data-embed-play" in html
    assert "<iframe" not in html and "<img" not in html and "<script" not in html
    assert "Play video" in html and "View on YouTube" in html
    assert "youtube-nocookie.com" in html  # says where the player will come from


def test_a_video_with_a_stored_thumbnail_serves_it_from_our_media():
    post = SocialPost(
        platform=Platform.YOUTUBE, post_id="JleoAppaxi0", url=YT_URL, text="MV"
    )
    post.thumbnail.name = "social/2024/01/youtube-JleoAppaxi0.jpg"
    html = render_body_with_embeds(f"<p>{YT_URL}</p>", [post])
    assert 'src="/media/social/2024/01/youtube-JleoAppaxi0.jpg"' in html
    assert 'alt=""' in html  # decorative: the link text names the video


def test_no_card_or_page_markup_points_at_a_third_party_resource():
    posts = [
        card_post(text="x " * 200),
        SocialPost(platform="youtube", post_id="JleoAppaxi0", url=YT_URL),
    ]
    html = render_body_with_embeds(f"<p>{X_URL}</p><p>{YT_URL}</p>", posts)
    for tag in ("<iframe", "<script", "<img", "<link", "<video", "<source"):
        assert tag not in html


# -- the template filter and the story page -------------------------------------------


@pytest.mark.django_db
def test_the_filter_uses_the_storys_posts():
    story = make_story(f"<p>{X_URL}</p>")
    SocialPost.objects.update(author_name="Lilac Notes", text="Hello from the filter")
    story = Article.objects.prefetch_related(prefetch_social_posts()).get(pk=story.pk)
    html = (
        engines["jinja2"]
        .from_string("{{ article.body|with_embeds(article) }}")
        .render({"article": story})
    )
    assert "Hello from the filter" in html


def test_the_filter_works_for_an_unsaved_story():
    story = Article(headline="Preview", body=f"<p>{X_URL}</p>")
    html = (
        engines["jinja2"]
        .from_string("{{ article.body|with_embeds(article) }}")
        .render({"article": story})
    )
    assert "data-embed-card" in html


@pytest.mark.django_db
def test_the_story_page_shows_the_cards_and_loads_the_deferred_script(client):
    story = make_story(f"<p>Intro</p><p>{X_URL}</p><p>{YT_URL}</p>")
    SocialPost.objects.filter(platform="x").update(
        author_name="Lilac Notes", text="<b>not bold</b>"
    )
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-embed-card") == 2
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html
    assert 'src="/static/js/site.js" defer' in html


@pytest.mark.django_db
def test_story_page_queries_do_not_grow_with_the_number_of_posts(client):
    few = make_story(f"<p>{X_URL}</p>", slug="few")
    many_body = "".join(
        f"<p>https://x.com/fan{i}/status/{1750091641508766131 + i}</p>"
        for i in range(8)
    )
    many = make_story(many_body + f"<p>{YT_URL}</p>", slug="many")
    assert many.social_posts.count() == 9
    client.get(few.get_absolute_url())  # warm per-process caches
    with CaptureQueriesContext(connection) as small:
        client.get(few.get_absolute_url())
    with CaptureQueriesContext(connection) as large:
        response = client.get(many.get_absolute_url())
    assert response.content.decode().count("data-embed-card") == 9
    assert len(large) == len(small)
    # Every card of the story comes from one query, whatever else the page asks.
    post_queries = [q for q in large.captured_queries if "socialpost" in q["sql"]]
    assert len(post_queries) == 1


# -- demo --------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_posts_are_idempotent_and_link_to_a_story_that_embeds_them():
    load_demo_posts()
    load_demo_posts()
    assert SocialPost.objects.count() == 3
    story = make_story("".join(f"<p>{url}</p>" for url in DEMO_POST_URLS))
    assert story.social_posts.count() == 3
    assert SocialPost.objects.count() == 3
    fans = SocialPost.objects.filter(platform=Platform.X).order_by("posted_at")
    assert [p.posted_at.date().isoformat() for p in fans] == [
        "2024-01-24",
        "2024-02-28",
    ]
    assert all(p.text and p.author_handle for p in fans)
    # The X ids were made from the dates, so the id and the stored date agree.
    assert all(p.posted_at_from_id().date() == p.posted_at.date() for p in fans)


def test_post_ref_is_a_value():
    assert PostRef(Platform.X, "1", "u") == PostRef(Platform.X, "1", "u")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                '<a href="',
                '">',
                "</a>",
                "<script>",
                "<img src=x>",
                " ",
                "&nbsp;",
                "<br>",
                X_URL,
                YT_URL,
                "javascript:",
                '"',
                "onerror=",
                "text",
            ]
        ),
        max_size=30,
    )
)
def test_no_body_of_any_shape_gets_markup_through(pieces):
    html = render_body_with_embeds("".join(pieces), [card_post(text="".join(pieces))])
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html


@pytest.mark.django_db
def test_demo_posts_fill_records_a_story_created_first():
    story = make_story("".join(f"<p>{url}</p>" for url in DEMO_POST_URLS))
    load_demo_posts()
    posts = {p.platform: p for p in story.social_posts.all()}
    assert posts["youtube"].author_name == "IU" and posts["x"].text
    assert SocialPost.objects.count() == 3


def test_a_post_names_itself_for_the_admin():
    assert str(card_post()) == "X post 1750091641508766131 by @lilac_notes_fan"
    video = SocialPost(platform=Platform.YOUTUBE, post_id="JleoAppaxi0")
    assert str(video) == "YouTube video JleoAppaxi0"
