"""Sitemaps, robots.txt and the <head> that search engines and share cards read."""

from __future__ import annotations

import datetime
import json
import re
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Byline
from tests.articles.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.artists.factories import ArtistFactory
from tests.discography.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    return ElementTree.fromstring(response.content)


def locations(root) -> list[str]:
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def jsonld(html: str) -> list[dict]:
    scripts = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S
    )
    return [json.loads(script) for script in scripts]


# --- sitemaps ---------------------------------------------------------------------------


def test_sitemap_index_lists_stories_news_artists_and_releases(client, db):
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    assert locations(root) == [
        "http://testserver/sitemap-stories.xml",
        "http://testserver/sitemap-news.xml",
        "http://testserver/sitemap-artists.xml",
        "http://testserver/sitemap-releases.xml",
    ]


def test_story_sitemap_has_published_stories_with_lastmod_and_never_drafts(client, db):
    live = ArticleFactory(published=True)
    for trait in ["in_review", "scheduled", "archived"]:
        ArticleFactory(**{trait: True})
    ArticleFactory()
    root = xml(client, "/sitemap-stories.xml")
    assert locations(root) == ["http://testserver" + live.get_absolute_url()]
    lastmod = root.find(".//sm:lastmod", NS).text
    assert lastmod == timezone.localtime(live.updated_at).date().isoformat()


def test_news_sitemap_has_the_last_48_hours_with_news_tags(client, db):
    now = timezone.now()
    fresh = ArticleFactory(
        headline="IU & V <live>",
        published=True,
        published_at=now - datetime.timedelta(hours=3),
    )
    ArticleFactory(published=True, published_at=now - datetime.timedelta(hours=49))
    ArticleFactory(headline="Draft")
    root = xml(client, "/sitemap-news.xml")
    assert locations(root) == ["http://testserver" + fresh.get_absolute_url()]
    assert root.find(".//news:title", NS).text == "IU & V <live>"
    assert root.find(".//news:publication/news:name", NS).text
    assert root.find(".//news:publication/news:language", NS).text == "en"
    published = datetime.datetime.fromisoformat(
        root.find(".//news:publication_date", NS).text
    )
    assert abs(published - fresh.published_at) < datetime.timedelta(seconds=1)


def test_artist_and_release_sitemaps_come_from_their_apps(client, db):
    artist = ArtistFactory(slug="iu")
    release = ReleaseFactory(slug="the-winning", artists=[artist])
    assert locations(xml(client, "/sitemap-artists.xml")) == [
        "http://testserver" + artist.get_absolute_url()
    ]
    assert locations(xml(client, "/sitemap-releases.xml")) == [
        "http://testserver" + release.get_absolute_url()
    ]


def test_unknown_sitemap_section_is_404(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_staff_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("User-agent: *\n")
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for path in ["/admin/", "/drafts/", "/news/preview/", "/search/"]:
        assert f"Disallow: {path}\n" in text
    assert "Disallow: /\n" not in text


# --- the head of each page ----------------------------------------------------------------


@pytest.fixture
def story(db):
    section = SectionFactory(name="Interviews", slug="interviews")
    article = ArticleFactory(
        headline='IU on "Love wins all" </script><b>',
        dek="The singer talks about a cold shoot.",
        section=section,
        published=True,
        with_hero=True,
    )
    article.tags.add("IU")
    Byline.objects.create(
        article=article,
        author=AuthorFactory(display_name="Mina Seo", slug="mina-seo"),
        position=0,
    )
    return article


def test_story_jsonld_is_a_news_article_with_the_required_keys(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    article, breadcrumbs = jsonld(html)
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == story.headline
    assert article["image"] and all(
        u.startswith("http://testserver/") for u in article["image"]
    )
    assert (
        datetime.datetime.fromisoformat(article["datePublished"]) == story.published_at
    )
    assert (
        datetime.datetime.fromisoformat(article["dateModified"]) >= story.published_at
    )
    assert article["author"] == [
        {
            "@type": "Person",
            "name": "Mina Seo",
            "url": "http://testserver/authors/mina-seo/",
        }
    ]
    assert article["publisher"]["name"] and article["publisher"]["@type"]
    assert (
        article["mainEntityOfPage"]["@id"]
        == "http://testserver" + story.get_absolute_url()
    )
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [i["name"] for i in breadcrumbs["itemListElement"]][1:] == [
        "Interviews",
        story.headline,
    ]
    assert [i["position"] for i in breadcrumbs["itemListElement"]] == [1, 2, 3]


def test_hostile_headline_cannot_break_out_of_the_jsonld_script(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    head = html.split("</head>")[0]
    assert "</script><b>" not in head
    assert head.count("<script") == head.count("</script>") == 2


def test_story_has_canonical_description_opengraph_and_twitter_card(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    url = "http://testserver" + story.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in html
    assert (
        '<meta name="description" content="The singer talks about a cold shoot.">'
        in html
    )
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="IU on &#34;Love wins all&#34;' in html
    image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert image.startswith("http://testserver/") and image.endswith(".jpg")
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<meta name="twitter:image" content="{image}">' in html
    assert html.count('rel="canonical"') == 1


def test_story_without_hero_gets_a_summary_card(client, db):
    story = ArticleFactory(published=True)
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<meta name="twitter:card" content="summary">' in html
    assert "og:image" not in html
    assert "image" not in jsonld(html)[0]
    assert jsonld(html)[0]["author"][0]["@type"] == "NewsMediaOrganization"


def test_preview_is_not_indexed_and_has_no_structured_data(admin_client, db):
    draft = ArticleFactory()
    html = admin_client.get(f"/drafts/{draft.pk}/preview/").content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "application/ld+json" not in html
    assert 'rel="canonical"' not in html


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/artists/",
        "/artists/iu/",
        "/albums/the-winning/",
        "/tags/iu/",
        "/sections/news/",
    ],
)
def test_every_public_page_has_one_canonical_url_and_a_description(client, db, path):
    artist = ArtistFactory(name="IU", slug="iu")
    ReleaseFactory(title="The Winning", slug="the-winning", artists=[artist])
    ArticleFactory(published=True, section=SectionFactory(slug="news")).tags.add("IU")
    html = client.get(path).content.decode()
    canonical = re.findall(r'<link rel="canonical" href="([^"]+)">', html)
    assert canonical == ["http://testserver" + path]
    assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
    assert '<meta property="og:site_name"' in html


def test_canonical_keeps_the_page_number_and_drops_other_parameters(client, db):
    ArticleFactory.create_batch(21, published=True, section=SectionFactory(slug="news"))
    html = client.get(
        "/sections/news/", {"page": 2, "utm_source": "x"}
    ).content.decode()
    assert (
        '<link rel="canonical" href="http://testserver/sections/news/?page=2">' in html
    )


def test_artist_and_release_pages_have_breadcrumbs(client, db):
    artist = ArtistFactory(name="IU", slug="iu")
    ReleaseFactory(title="The Winning", slug="the-winning", artists=[artist])
    for path, last in [("/artists/iu/", "IU"), ("/albums/the-winning/", "The Winning")]:
        crumbs = [
            d
            for d in jsonld(client.get(path).content.decode())
            if d["@type"] == "BreadcrumbList"
        ]
        assert crumbs[0]["itemListElement"][-1]["name"] == last
