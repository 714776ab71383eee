"""The public pages' markup: landmarks, headings, images, one stylesheet, one script."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import get_template

from tests.artists.factories import ArtistFactory
from tests.discography.factories import ReleaseFactory

ROOT = Path(__file__).resolve().parents[2]
STORY = "/news/iu-on-love-wins-all-and-working-with-v/"
PAGES = ["/", STORY, "/artists/iu/", "/albums/the-winning/", "/tags/iu/", "/artists/"]


class Outline(HTMLParser):
    """Collects what an accessibility review looks at first."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.fixture
def demo(db, settings):
    settings.EMBEDS_OEMBED_ENABLED = False
    call_command("load_demo", verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_page_has_landmarks_one_h1_and_ordered_headings(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200
    page = outline(response.content.decode())
    assert page.headings.count(1) == 1
    assert page.headings[0] == 1 or page.headings.index(1) < 3
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading jumps from h{before} to h{after}"
    for landmark in ("header", "main", "footer", "nav"):
        assert page.all(landmark), landmark
    first_link = page.all("a")[0]
    assert first_link["href"] == "#main" and first_link["class"] == "skip-link"
    assert page.all("main")[0]["id"] == "main"


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_one_stylesheet_one_deferred_script_no_inline_code(
    client, demo, path
):
    page = outline(client.get(path).content.decode())
    stylesheets = [a for a in page.all("link") if a.get("rel") == "stylesheet"]
    assert [a["href"] for a in stylesheets] == ["/static/css/site.css"]
    scripts = [a for a in page.all("script") if a.get("type") != "application/ld+json"]
    assert [a.get("src") for a in scripts] == ["/static/js/site.js"]
    assert "defer" in scripts[0]
    assert not any(a.get("style") for _, a in page.tags)
    assert not any(k.startswith("on") for _, a in page.tags for k in a)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_image_has_alt_and_size_and_only_the_first_loads_eagerly(
    client, demo, path
):
    images = outline(client.get(path).content.decode()).all("img")
    for number, image in enumerate(images):
        assert image.get("alt") is not None, image
        assert image.get("width") and image.get("height"), image
        if number > 0:
            assert image.get("loading") == "lazy", image


@pytest.mark.django_db
def test_home_leads_with_a_picture_and_releases_show_covers_and_artists(client, demo):
    html = client.get("/").content.decode()
    page = outline(html)
    hero = page.all("img")[0]
    assert hero["fetchpriority"] == "high" and hero["srcset"].count("w, ") >= 2
    assert page.all("source")[0]["type"] == "image/webp"
    # Every card has a picture or a decorative stand-in; releases carry their artist.
    assert html.count('class="story-card"') == html.count("story-card__image")
    assert "release-row__cover" in html and "release-row__artist" in html


@pytest.mark.django_db
def test_home_queries_stay_constant_with_credited_releases(
    client, django_assert_max_num_queries
):
    ReleaseFactory(artists=[ArtistFactory()])
    with django_assert_max_num_queries(8):
        client.get("/")
    for _ in range(8):
        ReleaseFactory(artists=[ArtistFactory(), ArtistFactory()])
    with django_assert_max_num_queries(8):
        html = client.get("/").content.decode()
    assert html.count("release-row__artist") == 6


@pytest.mark.django_db
def test_not_found_page_is_friendly_and_in_the_design(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = outline(response.content.decode())
    assert page.headings.count(1) == 1
    assert page.all("main") and page.all("footer")
    assert b"Read the latest news" in response.content


def test_server_error_page_needs_no_context_and_uses_the_stylesheet():
    html = get_template("500.html").render({})
    page = outline(html)
    assert page.headings == [1]
    assert [a["href"] for a in page.all("link")] == ["/static/css/site.css"]
    assert page.all("main")[0]["id"] == "main"
    assert "Something went wrong" in html


# ---- the stylesheet ---------------------------------------------------------------

CSS = (ROOT / "static" / "css" / "site.css").read_text(encoding="utf-8")
PUBLIC_TEMPLATES = [
    *(ROOT / "templates").glob("*.html"),
    *(ROOT / "templates" / "newsroom").glob("*.html"),
    *(ROOT / "templates" / "articles").glob("*.html"),
    *(ROOT / "templates" / "artists").glob("*.html"),
    *(ROOT / "templates" / "discography").glob("*.html"),
    *(ROOT / "templates" / "includes").glob("*.html"),
]
# Classes that only name a region (for tests, scripts or readers of the markup).
STRUCTURAL = {
    "artist-news", "chip--artist", "has-error", "latest", "lead-story__text",
    "profile", "profile__intro", "reactions__explain", "reactions__page-title",
    "reactions__pages", "release", "release-card__cover--empty",
    "release__cover--empty", "release__intro", "releases", "search",
    "search-facet", "search-hit--artist", "search-hit--release", "search-hit--story",
    "search-hit--track",
}  # fmt: skip


def test_every_class_the_public_templates_use_is_styled_or_structural():
    defined = set(re.findall(r"\.([a-zA-Z][\w-]*)", CSS))
    missing = set()
    for template in PUBLIC_TEMPLATES:
        if "admin" in template.name or "desk" in template.name:
            continue
        for value in re.findall(r'class="([^"]*)"', template.read_text()):
            for name in re.sub(r"{%.*?%}|{{.*?}}", " ", value).split():
                if name.endswith("-") or name in STRUCTURAL:
                    continue  # a prefix completed by a template variable
                if name not in defined:
                    missing.add(f"{template.name}: {name}")
    assert not missing, sorted(missing)


def tokens(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


LIGHT = tokens(CSS.split("@media (prefers-color-scheme: dark)")[0])
DARK = LIGHT | tokens(
    CSS.split("@media (prefers-color-scheme: dark)")[1].split("}\n}")[0]
)
TEXT_PAIRS = [
    ("fg", "bg"), ("fg", "card"), ("muted", "bg"), ("muted", "card"),
    ("accent", "bg"), ("accent", "card"), ("link", "bg"), ("link", "card"),
    ("accent-fg", "accent"),
]  # fmt: skip


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize(("text", "background"), TEXT_PAIRS)
def test_text_colours_meet_wcag_aa_in_both_schemes(scheme, text, background):
    assert contrast(scheme[text], scheme[background]) >= 4.5


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
def test_focus_ring_stands_out_in_both_schemes(scheme):
    assert contrast(scheme["focus"], scheme["bg"]) >= 3


def test_print_style_hides_the_site_chrome_for_stories():
    printed = CSS.split("@media print")[1]
    for selector in (".site-nav", ".site-footer", ".reactions", ".related"):
        assert selector in printed
    assert "attr(href)" in printed
