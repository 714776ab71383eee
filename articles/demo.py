"""Demo stories, written anew from the public facts in shared/domain.md.

Idempotent: stories are matched by slug, and the workflow only runs for a story that
is not yet where the demo wants it, so a second run adds no rows and no transitions.
Statuses are set through the workflow services, as everywhere else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image, ImageDraw

from articles import services
from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    FanReaction,
    Section,
    Source,
)
from articles.moderation import approve_reaction, feature_reaction
from articles.social_demo import DEMO_POST_URLS, load_demo_posts
from artists.models import Artist
from discography.models import Release, Track
from photos import demo_art
from photos.models import Photo

DESK_USERNAME = "demo-desk"

# The posts' own details (invented fans, neutral text) live in articles/social_demo.py.
IU_X_POSTS = DEMO_POST_URLS[:2]
LOVE_WINS_ALL_VIDEO = DEMO_POST_URLS[2]
MODERATION_USERNAME = "demo-moderation"
# Readers' reactions under the IU story, written for the demo; approved on load.
IU_REACTIONS = [
    (
        "Lilac Notes",
        "The care everyone on set showed for each other comes through in every frame.",
        "purple_heart",
        True,
    ),
    (
        "snowday_listener",
        "Shot below freezing and it still looks so warm. Thank you for the interview!",
        "heart",
        False,
    ),
    ("서울의 팬", "인터뷰 잘 읽었어요. 감독님과 모두 고생 많으셨어요.", "clap", False),
]

IU_INTERVIEW_BODY = f"""\
<p>IU has looked back on the making of "Love wins all", the song that opened the \
campaign for her mini album <em>The Winning</em>, in a digital interview that Marie \
Claire Korea published on 28 February 2024.</p>
<p>The music video, directed by Um Tae-hwa, casts the singer opposite V of BTS. The \
team filmed it in December 2023 in temperatures below freezing, and IU told the \
magazine that she was unwell for part of the shoot.</p>
<blockquote><p>"I had a fever for some of those days on set. The director and V kept \
an eye on me the whole time, and honestly, I got through it because of the two of \
them."</p></blockquote>
<p>Fans picked up on the remark within hours. Many posts on X thanked V for looking \
after his co-star:</p>
<p>{IU_X_POSTS[0]}</p>
<p>The single came out on 24 January 2024, almost four weeks before the five-track EP \
followed on 20 February. A behind-the-scenes film from the freezing shoot went up on \
the YouTube channels of both artists.</p>
<p>{LOVE_WINS_ALL_VIDEO}</p>
<h2>An album with guests</h2>
<p>Besides "Love wins all", <em>The Winning</em> carries "Shopper", "Holssi", "Shh.." \
and "Stan U", with Hyein of NewJeans and the singer-songwriter DPR IAN among the \
featured artists.</p>
<p>{IU_X_POSTS[1]}</p>
<p>IU, who debuted in 2008 and is managed by EDAM Entertainment, said the album was \
about holding on to what you love when the world feels hostile, a theme the video \
puts into pictures.</p>
"""


@dataclass
class DemoStory:
    slug: str
    headline: str
    dek: str
    body: str
    section: str
    published_on: datetime.datetime | None
    tags: list[str] = field(default_factory=list)
    artists: list[str] = field(default_factory=list)
    releases: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=lambda: ["Mina Seo"])
    is_featured: bool = False
    state: str = "published"  # "published", "review" or "scheduled" (from now)
    sources: list[tuple[str, str]] = field(default_factory=list)


def at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>\n" for text in paragraphs)


AUTHORS = {
    "Mina Seo": ("Staff writer", "Covers K-pop releases and the people behind them."),
    "Daniel Okafor": ("Music critic", "Reviews albums and singles for the desk."),
    "Yuna Lim": ("Contributor", "Guest contributor writing about music videos."),
}

STORIES = [
    DemoStory(
        slug="iu-on-love-wins-all-and-working-with-v",
        headline="IU on filming 'Love wins all' with V in the freezing cold",
        dek="In a magazine interview, the singer credits the director and the BTS "
        "member with carrying her through a feverish music video shoot.",
        body=IU_INTERVIEW_BODY,
        section="interviews",
        published_on=at(2024, 2, 29, 9),
        tags=["IU", "V", "BTS", "The Winning", "Interview"],
        artists=["iu", "v"],
        releases=["the-winning"],
        authors=["Mina Seo", "Yuna Lim"],
        is_featured=True,
        sources=[("Marie Claire Korea", "https://www.marieclairekorea.com/")],
    ),
    DemoStory(
        slug="iu-releases-love-wins-all",
        headline="IU opens a new chapter with 'Love wins all'",
        dek="The pre-release single arrives with a music video starring V of BTS.",
        body=p(
            'IU released "Love wins all" on 24 January 2024 as the first taste of '
            "her next mini album.",
            "The accompanying music video, directed by Um Tae-hwa, pairs her with V, "
            "who appears as her co-lead.",
            "The full EP is due in February.",
        ),
        section="news",
        published_on=at(2024, 1, 24, 18),
        tags=["IU", "V", "Music video"],
        artists=["iu", "v"],
        releases=["the-winning"],
    ),
    DemoStory(
        slug="the-winning-arrives",
        headline="'The Winning' is out: five tracks from IU",
        dek="The mini album follows last month's pre-release single.",
        body=p(
            "IU's mini album The Winning was released on 20 February 2024.",
            'Its five songs are "Shopper", "Holssi", "Love wins all", "Shh.." '
            'and "Stan U".',
            "Hyein of NewJeans and DPR IAN are among the featured artists.",
        ),
        section="news",
        published_on=at(2024, 2, 20, 18),
        tags=["IU", "The Winning", "New release"],
        artists=["iu", "hyein", "dpr-ian"],
        releases=["the-winning"],
    ),
    DemoStory(
        slug="review-the-winning",
        headline="Review: 'The Winning' says a lot in five songs",
        dek="IU's mini album is short, varied and confident.",
        body=p(
            "At five tracks, The Winning never outstays its welcome, and it moves "
            "with ease between playful and hushed moods.",
            '"Love wins all" remains the emotional centre, while the guest turns '
            "add colour without crowding the singer out.",
            "It is a compact record that rewards a second and third listen.",
        ),
        section="reviews",
        published_on=at(2024, 2, 23, 10),
        tags=["IU", "The Winning", "Review"],
        artists=["iu"],
        releases=["the-winning"],
        authors=["Daniel Okafor"],
    ),
    DemoStory(
        slug="fans-praise-v-for-supporting-iu",
        headline="Fans praise V for looking after IU on a cold set",
        dek="Posts on X thank the BTS member after IU's magazine interview.",
        body=p(
            "After IU described being ill during the December shoot, fans on X "
            "shared their thanks to V for supporting her.",
            "Many posts pointed to behind-the-scenes moments from the video.",
        ),
        section="news",
        published_on=at(2024, 2, 29, 15),
        tags=["IU", "V", "Fans"],
        artists=["iu", "v", "bts"],
    ),
    DemoStory(
        slug="what-is-a-pre-release-single",
        headline="Explainer: what is a pre-release single?",
        dek="Why artists put one song out weeks before the album.",
        body=p(
            "A pre-release is a song issued ahead of the album it belongs to, to "
            "build anticipation and give listeners time with one track.",
            'IU\'s "Love wins all" came out almost four weeks before The Winning.',
        ),
        section="features",
        published_on=at(2024, 1, 26, 9),
        tags=["Explainer", "Glossary"],
        artists=["iu"],
        releases=["the-winning"],
    ),
    DemoStory(
        slug="bts-since-2013",
        headline="BTS since 2013: a short guide",
        dek="The group that debuted on 13 June 2013, in a few lines.",
        body=p(
            "BTS debuted on 13 June 2013 under BIGHIT MUSIC, now a label of HYBE.",
            "V is one of the group's members; his role opposite IU in the "
            '"Love wins all" video introduced him to new listeners.',
        ),
        section="features",
        published_on=at(2024, 2, 10, 9),
        tags=["BTS", "Guide"],
        artists=["bts", "v"],
    ),
    DemoStory(
        slug="newjeans-at-a-glance",
        headline="NewJeans at a glance",
        dek="The ADOR group debuted on 22 July 2022.",
        body=p(
            "NewJeans is a girl group managed by ADOR, a HYBE label, that debuted "
            "on 22 July 2022.",
            "Member Hyein is among the featured artists on IU's The Winning.",
        ),
        section="features",
        published_on=at(2024, 2, 21, 9),
        tags=["NewJeans", "Guide"],
        artists=["newjeans", "hyein"],
    ),
    DemoStory(
        slug="dpr-ian-profile",
        headline="DPR IAN: singer, songwriter, director",
        dek="The artist who directs his own visuals joins IU's mini album.",
        body=p(
            "DPR IAN writes and sings his songs and directs music videos too.",
            "He is one of the featured artists on The Winning.",
        ),
        section="features",
        published_on=at(2024, 2, 22, 9),
        tags=["DPR IAN", "Profile"],
        artists=["dpr-ian"],
        authors=["Yuna Lim"],
    ),
    DemoStory(
        slug="glossary-mini-album-title-track",
        headline="Glossary: mini album, title track and featured artist",
        dek="Three words you will read in every release story.",
        body=p(
            "A mini album, or EP, is shorter than a full album: The Winning has "
            "five tracks.",
            "The title track leads the promotion; a featured artist is a guest "
            "credited on a song.",
        ),
        section="features",
        published_on=at(2024, 2, 19, 9),
        tags=["Explainer", "Glossary"],
    ),
    DemoStory(
        slug="looking-back-at-lilac",
        headline="Looking back at IU's 'LILAC'",
        dek="The 2021 album that came before The Winning.",
        body=p(
            "Before The Winning, IU's last album was LILAC, released in 2021.",
            "Revisiting it shows how her writing has kept moving.",
        ),
        section="reviews",
        published_on=at(2024, 2, 18, 9),
        tags=["IU", "Review"],
        artists=["iu"],
        authors=["Daniel Okafor"],
    ),
    DemoStory(
        slug="behind-the-scenes-love-wins-all",
        headline="Behind the scenes of 'Love wins all'",
        dek="A making-of film from the sub-zero shoot, on both artists' channels.",
        body=p(
            "The making-of video shows the crew working through the December cold.",
            "It was posted on IU's and V's YouTube channels.",
        ),
        section="news",
        published_on=None,
        tags=["IU", "V", "Music video"],
        artists=["iu", "v"],
        state="review",
    ),
    DemoStory(
        slug="the-winning-one-month-on",
        headline="'The Winning', one month on",
        dek="How IU's mini album has settled in since February.",
        body=p(
            "A month after release, the five songs of The Winning have each found "
            "their own listeners.",
            "We look at which tracks fans return to most.",
        ),
        section="features",
        published_on=None,
        tags=["IU", "The Winning"],
        artists=["iu"],
        releases=["the-winning"],
        authors=["Daniel Okafor"],
        state="scheduled",
    ),
]
SCHEDULE_AHEAD = datetime.timedelta(hours=6)


def _desk_user(editors: Group):
    """The editor the demo acts as; it cannot log in (no usable password)."""
    user, created = get_user_model().objects.get_or_create(
        username=DESK_USERNAME,
        defaults={"first_name": "Demo", "last_name": "Desk", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(editors)
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def _hero_drawing() -> tuple[Image.Image, float, float]:
    """A generated abstract picture (no third-party photo), 1600×900; its focal point
    is the rings' centre."""
    image = Image.new("RGB", (1600, 900))
    draw = ImageDraw.Draw(image)
    for y in range(900):
        shade = int(40 + 120 * y / 900)
        draw.line([(0, y), (1600, y)], fill=(shade, 24, 70 + shade // 2))
    for i, radius in enumerate((420, 300, 180)):
        colour = (230 - i * 30, 180 - i * 40, 220 - i * 20)
        draw.ellipse(
            [1100 - radius, 450 - radius, 1100 + radius, 450 + radius],
            outline=colour,
            width=14,
        )
    return image, 1100 / 1600, 0.5


def _hero_photo(desk) -> Photo:
    """The featured story's picture, a library photo of our own (rights complete),
    found again by its demo key (photos.demo_art), never by its credit, which the
    other demo pictures share."""
    return demo_art.demo_photo(
        "story:love-wins-all-illustration",
        _hero_drawing,
        alt="An abstract illustration of rings of light on a dark red sky",
        caption="An illustration made for the newsroom's IU coverage.",
    )


def _link_related_card(story: Article, related: Article) -> None:
    """A related-story card in the middle of the body (after the first post), as the
    newsroom's stories have it; added once."""
    if "data-story=" in story.body:
        return
    card = f'<figure data-story="{related.pk}"></figure>'
    anchor = f"<p>{IU_X_POSTS[0]}</p>"
    if anchor in story.body:
        story.body = story.body.replace(anchor, anchor + card, 1)
    else:
        story.body += card
    story.save(update_fields=["body"])


def _load_story(story: DemoStory, *, desk, sections, authors) -> Article:
    article = Article.objects.filter(slug=story.slug).first() or Article(
        slug=story.slug, created_by=desk
    )
    article.headline, article.dek, article.body = story.headline, story.dek, story.body
    article.section = sections.get(story.section)
    article.is_featured = story.is_featured
    if story.is_featured and not article.hero_photo_id:
        article.hero_photo = _hero_photo(desk)
        article.hero_caption = "Love wins all: the song opened IU's 2024 campaign."
    elif not article.hero_photo_id:
        key = f"story:{story.slug}"
        article.hero_photo = demo_art.demo_photo(
            key,
            lambda: demo_art.poster(key),
            alt="An abstract poster: a pale sun in rings of light over bands of colour",
            caption="An illustration made for the demo story.",
        )
    article.save()
    article.tags.set(story.tags)
    article.artists.set(Artist.objects.filter(slug__in=story.artists))
    article.releases.set(Release.objects.filter(slug__in=story.releases))
    if story.releases:
        article.tracks.set(
            Track.objects.filter(
                release__slug__in=story.releases, title="Love wins all"
            )
        )
    for position, name in enumerate(story.authors):
        Byline.objects.update_or_create(
            article=article, author=authors[name], defaults={"position": position}
        )
    for position, (name, url) in enumerate(story.sources):
        Source.objects.update_or_create(
            article=article, name=name, defaults={"url": url, "position": position}
        )
    if story.state == "published" and not article.is_live:
        services.publish_article(article=article, by=desk, at=story.published_on)
    elif story.state == "review" and article.status == Article.Status.DRAFT:
        services.submit_for_review(article=article, by=desk)
    elif story.state == "scheduled" and article.status == Article.Status.DRAFT:
        # Scheduled once, relative to the first load, so the desk shows it as due.
        when = timezone.now() + SCHEDULE_AHEAD
        services.publish_article(article=article, by=desk, at=when)
    return article


def load(*, editors: Group, moderators: Group) -> str:
    """Create or update the demo stories by slug; the demo desk acts as a member of
    ``editors`` and approves the demo reactions as one of ``moderators``."""
    load_demo_posts()  # first, so saving the IU story links posts with their details
    desk = _desk_user(editors)
    sections = {s.slug: s for s in Section.objects.all()}
    authors = {}
    for name, (role, bio) in AUTHORS.items():
        authors[name], _ = Author.objects.update_or_create(
            display_name=name, defaults={"role": role, "bio": bio}
        )
    stories = [
        _load_story(story, desk=desk, sections=sections, authors=authors)
        for story in STORIES
    ]
    iu = stories[0]
    Correction.objects.get_or_create(
        article=iu,
        kind=Correction.Kind.UPDATE,
        defaults={
            "note": "Added the names of the featured artists on The Winning.",
            "noted_at": at(2024, 2, 29, 14),
        },
    )
    iu.related_articles.set([stories[1], stories[2], stories[4]])
    _link_related_card(iu, stories[4])  # the fans' praise for V
    reactions = _load_reactions(iu, moderators)
    return f"{len(stories)} stories, {reactions} approved fan reactions"


def _load_reactions(story: Article, moderators: Group) -> int:
    """Approved demo reactions, decided through the moderation service (audited)."""
    moderator, created = get_user_model().objects.get_or_create(
        username=MODERATION_USERNAME,
        defaults={"first_name": "Demo", "last_name": "Moderation"},
    )
    if created:
        moderator.set_unusable_password()
        moderator.save()
    moderator.groups.add(moderators)
    moderator = get_user_model().objects.get(pk=moderator.pk)  # fresh permissions
    for hour, (name, message, emoji, featured) in enumerate(IU_REACTIONS, start=10):
        reaction, _ = FanReaction.objects.get_or_create(
            article=story,
            display_name=name,
            message=message,
            defaults={"emoji": emoji, "created_at": at(2024, 2, 29, hour)},
        )
        if reaction.status != FanReaction.Status.APPROVED:
            approve_reaction(reaction=reaction, by=moderator)
        if featured and not reaction.is_featured:
            feature_reaction(
                reaction=FanReaction.objects.get(pk=reaction.pk), by=moderator
            )
    return len(IU_REACTIONS)
