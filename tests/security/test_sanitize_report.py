"""Cleaning rich text never drops a writer's words silently.

An unclosed ``<!--`` in a pasted body made the sanitizer drop the rest of the
story. Now the opener goes and the text after it stays, and whenever cleaning does
remove text (a lone ``<script>`` swallowing the rest, an unclosed attribute quote)
the admin names it to the writer after the save: story bodies, artist bios and
release descriptions alike.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article
from articles.models.article import sanitize_body
from artists.models import Artist
from core.sanitize import (
    clean_html,
    close_open_comments,
    removed_text,
    sanitize_report,
    visible_text,
)
from discography.models import Release
from tests.articles.factories import editor
from tests.articles.test_admin import form_data
from tests.artists.factories import ArtistFactory
from tests.artists.test_admin import artist_form
from tests.discography.test_admin import release_form

PASTED = (
    "<p>IU talked about the shoot.</p><!-- TODO: check quote "
    "<p>“I wanted it to feel like a film,” she said.</p>"
    "<p>The album is out on 20 February.</p>"
)


# --- the cleaner --------------------------------------------------------------------


def test_text_after_an_unclosed_comment_survives():
    cleaned = clean_html(PASTED)
    assert "The album is out on 20 February." in cleaned
    assert "she said." in cleaned
    assert "<!--" not in cleaned


def test_closed_comments_are_still_removed_and_the_text_around_them_kept():
    cleaned = clean_html("<p>a<!-- hidden -->b</p><!--> c <!---> d <!-- e --!> f")
    assert "hidden" not in cleaned and " e " not in cleaned
    assert visible_text(cleaned).split() == ["ab", "c", "d", "f"]


def test_a_bogus_comment_that_never_ends_becomes_text():
    # "<!x" and "<?x" run to the next ">"; with none after them, to the end.
    cleaned = clean_html("<p>Tickets on sale</p><p>Doors <!open at 8 <?maybe 9")
    assert "Doors &lt;!open at 8 &lt;?maybe 9" in cleaned


def test_close_open_comments_counts_what_it_dropped():
    assert close_open_comments("<p>x</p>") == ("<p>x</p>", 0)
    assert close_open_comments("a <!-- b <!-- c") == ("a  b  c", 2)
    assert close_open_comments("a <!-- b --> c <!-- d")[1] == 1


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["<!--", "-->", "<!-->", "<p>", "</p>", "<", " "]),
            st.integers(0, 99).map(lambda n: f" w{n} "),
        ),
        max_size=30,
    )
)
def test_no_word_after_the_last_comment_end_is_ever_lost(parts):
    html = "".join(parts)
    # After the last "-->" no comment can be closed: every word there must show.
    tail = html[html.rfind("-->") + 3 :] if "-->" in html else html
    kept = visible_text(clean_html(html)).split()
    for word in re.findall(r"w\d+", tail):
        assert word in kept, (html, word)


@given(st.text(max_size=300))
def test_cleaning_stays_stable(html):
    cleaned = clean_html(html)
    assert clean_html(cleaned) == cleaned


# --- the report ---------------------------------------------------------------------


def test_nothing_is_reported_when_only_tags_go():
    for html in [
        "<div>foo</div><div>bar</div>",
        '<p style="color:red" onclick="x()">Styled</p>',
        '<p><img src="x.jpg" alt="a picture">caption</p>',
        "<p>a &lt; b &amp; c</p>",
        "<p>I <3 BTS</p>",
        "<script>track()</script><p>Scripts are code, not text.</p>",
        '<p title="x>y">Quoted</p>',
    ]:
        assert not sanitize_report(html), html


def test_an_unclosed_comment_is_reported_as_repaired_not_as_lost_text():
    report = sanitize_report(PASTED)
    assert report.removed == ()
    assert report.reopened_comments == 1
    assert "never closed" in report.message("body")


def test_text_swallowed_by_a_lone_script_is_named():
    report = sanitize_report(
        "<p>Intro</p><script>var x = 1;<p>The rest of the story</p>"
    )
    assert any("The rest of the story" in text for text in report.removed)
    assert "The rest of the story" in report.message("body")


def test_text_swallowed_by_an_unclosed_quote_is_named():
    report = sanitize_report(
        '<p><a href="https://x.com>Read more</a> at the source</p>'
    )
    assert any("Read more" in text for text in report.removed)


def test_long_removed_passages_are_shortened_and_counted():
    html = "<p>Kept</p>" + "".join(
        f"<template>Passage number {n} " + "word " * 30 + "</template><p>k{n}</p>"
        for n in range(5)
    )
    report = sanitize_report(html)
    assert len(report.removed) == 5
    assert all(len(text) <= 80 for text in report.removed)
    assert "and 2 more passages" in report.message("body")


def test_removed_text_ignores_words_joined_by_a_dropped_tag():
    assert removed_text("<span>foo</span><span>bar</span>", "foobar") == []
    assert removed_text("<p>keep this</p><p>lose this</p>", "<p>keep this</p>") == [
        "lose this"
    ]


# --- the admin tells the writer -----------------------------------------------------


def warnings(response) -> list[str]:
    return [
        m.message
        for m in get_messages(response.wsgi_request)
        if m.level_tag == "warning"
    ]


@pytest.mark.django_db
def test_saving_a_story_with_an_unclosed_comment_keeps_the_rest_and_says_so(client):
    client.force_login(editor(username="erin"))
    response = client.post(
        "/admin/articles/article/add/", form_data(headline="IU interview", body=PASTED)
    )
    assert response.status_code == 302
    story = Article.objects.get(headline="IU interview")
    assert "The album is out on 20 February." in story.body
    [warning] = warnings(response)
    assert "never closed" in warning and "body" in warning


@pytest.mark.django_db
def test_saving_a_story_that_loses_text_names_the_text(client):
    client.force_login(editor(username="erin"))
    body = "<p>Intro</p><script>oops<p>Everything the writer typed after it</p>"
    response = client.post(
        "/admin/articles/article/add/", form_data(headline="Lost", body=body)
    )
    assert response.status_code == 302
    assert Article.objects.get(headline="Lost").body == sanitize_body(body)
    [warning] = warnings(response)
    assert "Everything the writer typed after it" in warning


@pytest.mark.django_db
def test_a_clean_story_gets_no_warning(client):
    client.force_login(editor(username="erin"))
    response = client.post(
        "/admin/articles/article/add/",
        form_data(headline="Clean", body="<p>Fine <strong>text</strong>.</p>"),
    )
    assert response.status_code == 302
    assert warnings(response) == []


@pytest.mark.django_db
def test_an_artist_bio_with_an_unclosed_comment_keeps_its_text(admin_client):
    response = admin_client.post(
        "/admin/artists/artist/add/",
        artist_form(name="IU", bio="<p>Singer.</p><!-- <p>Actor since 2011.</p>"),
    )
    assert response.status_code == 302
    assert "Actor since 2011." in Artist.objects.get(name="IU").bio
    [warning] = warnings(response)
    assert "bio" in warning


@pytest.mark.django_db
def test_a_release_description_that_loses_text_says_which(admin_client):
    iu = ArtistFactory(name="IU")
    response = admin_client.post(
        "/admin/discography/release/add/",
        release_form(
            iu, [], description='<p><a href="x>Five tracks about love</a> and loss</p>'
        ),
    )
    assert response.status_code == 302
    assert Release.objects.get().description == "<p></p>"
    [warning] = warnings(response)
    assert "Five tracks about love" in warning
