"""What story pages show and what changes to stories reach (core.pagedeps keys).

Rows a page loads are recorded by themselves (a story: ``story:<id>``, its section,
and through its carried lists its tags, artists, releases and authors); the list
pages add the lists they are (``list:home``, ``list:tag:<id>``, ...), which a
story's change touches, so a newly published story appears on every list it joins.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed
from taggit.models import Tag, TaggedItem

from articles.models import (
    Article,
    ArticleSlugHistory,
    Author,
    Byline,
    Correction,
    FanReaction,
    LiveEntry,
    Section,
    SocialPost,
    Source,
    StoryTopic,
    Transition,
    listing_place,
)
from articles.reads import TRENDING_LIST
from core import pagecache
from core.pagedeps import register_keys, register_page

# Every list of stories that is not one tag, section, author or artist.
STORY_LISTS = ("list:home", "list:stories", "feed", "sitemap")


def related_keys(*, artist_ids=(), tag_ids=()) -> list[str]:
    """The keys of the "related stories" boxes drawn from these topics: a story page
    shows them for its own artists and tags (Article.objects.related_to)."""
    return [f"related:artist:{pk}" for pk in artist_ids] + [
        f"related:tag:{pk}" for pk in tag_ids
    ]


def story_touches(article: Article) -> list[str]:
    """The story's own key and every list it is (or now joins) on.

    Related boxes elsewhere show the story under ``story:<id>`` already, so an edit
    refreshes them; only a change of its place in date order (published, withdrawn,
    re-dated) reaches the related boxes that may now show it or drop it. An edit
    on a busy day thus leaves the hundreds of stories sharing its tags cached.
    """
    keys = [f"story:{article.pk}", *STORY_LISTS]
    if article.section_id:
        keys.append(f"list:section:{article.section_id}")
    if article.pk is None:
        return keys
    tagged = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id=article.pk
    )
    tag_ids = list(tagged.values_list("tag_id", flat=True))
    keys += [f"list:tag:{pk}" for pk in tag_ids]
    artists = Article.artists.through.objects.filter(article_id=article.pk)
    artist_ids = list(artists.values_list("artist_id", flat=True))
    keys += [f"list:artist:{pk}" for pk in artist_ids]
    bylines = Byline.objects.filter(article_id=article.pk)
    keys += [f"list:author:{pk}" for pk in bylines.values_list("author_id", flat=True)]
    before = getattr(article, "_listing_before", "unknown")
    if before != listing_place(article.status, article.published_at):
        # Saved with a new place (or deleted, or changed without a save we saw).
        keys += related_keys(artist_ids=artist_ids, tag_ids=tag_ids)
    return keys


def _story_artists_changed(
    sender, instance=None, action="", reverse=False, pk_set=None, **kwargs
) -> None:
    """A story linked to an artist (or unlinked) joins (or leaves) the related boxes
    drawn from that artist; TaggedItem rows say the same for tags by themselves."""
    if not (action.startswith("post_") or action == "pre_clear"):
        return
    if reverse:  # from the artist's side: one artist, the stories in pk_set
        artist_ids = [instance.pk]
    elif action == "pre_clear":
        artist_ids = list(instance.artists.values_list("pk", flat=True))
    else:
        artist_ids = list(pk_set or ())
    if artist_ids:
        pagecache.content_changed(
            keys=related_keys(artist_ids=artist_ids), using=kwargs.get("using")
        )


def _subject(model, field: str, value: str, shown: list) -> list:
    return [
        row for row in shown if isinstance(row, model) and getattr(row, field) == value
    ]


def register() -> None:
    register_keys(
        Article,
        shows=lambda a: [f"story:{a.pk}", f"section:{a.section_id}"],
        touches=story_touches,
    )
    # Only approved reactions show (affects_public_pages): the story's reactions.
    register_keys(FanReaction, touches=lambda r: [f"story-reactions:{r.article_id}"])
    register_keys(
        Tag, shows=lambda t: [f"tag:{t.pk}"], touches=lambda t: [f"tag:{t.pk}"]
    )
    register_keys(
        TaggedItem,
        touches=lambda t: [
            f"story:{t.object_id}",
            f"list:tag:{t.tag_id}",
            *related_keys(tag_ids=[t.tag_id]),
        ],
    )
    m2m_changed.connect(
        _story_artists_changed,
        sender=Article.artists.through,
        dispatch_uid="articles-related-by-artist",
    )
    register_keys(
        Section,
        shows=lambda s: [f"section:{s.pk}"],
        touches=lambda s: [f"section:{s.pk}"],
    )
    register_keys(
        Author, shows=lambda a: [f"author:{a.pk}"], touches=lambda a: [f"author:{a.pk}"]
    )
    register_keys(
        Byline,
        touches=lambda b: [f"story:{b.article_id}", f"list:author:{b.author_id}"],
    )
    for model in (Source, Correction):
        register_keys(model, touches=lambda row: [f"story:{row.article_id}"])
    register_keys(
        SocialPost,
        shows=lambda p: [f"social-post:{p.pk}"],
        touches=lambda p: [f"social-post:{p.pk}"],
    )
    # A live entry shows on its story (its updates answer has its own short cache).
    register_keys(LiveEntry, touches=lambda e: [f"story:{e.article_id}"])
    # Derived or never shown: the topic index, old slugs (redirects are not
    # cached), the workflow's history (the story's own save says what changed).
    for model in (StoryTopic, ArticleSlugHistory, Transition):
        register_keys(model, touches=lambda row: [])

    def story_page(kwargs: dict, shown: list) -> list[str]:
        stories = _subject(Article, "slug", kwargs.get("slug"), shown)
        keys = [TRENDING_LIST]  # story pages also show the trending rail
        for story in stories:
            keys.append(f"story-reactions:{story.pk}")
            keys += related_keys(
                artist_ids=[a.pk for a in getattr(story, "artist_list", ())],
                tag_ids=[t.pk for t in getattr(story, "tag_list", ())],
            )
        return keys

    register_page("articles:detail", story_page)
    register_page("articles:submit_reaction", story_page)
    register_page(
        "articles:tag",
        lambda kw, shown: [
            f"list:tag:{t.pk}" for t in _subject(Tag, "slug", kw.get("slug"), shown)
        ],
    )
    register_page(
        "articles:tag_feed",
        lambda kw, shown: [
            "feed",
            *(f"list:tag:{t.pk}" for t in _subject(Tag, "slug", kw.get("slug"), shown)),
        ],
    )
    register_page(
        "articles:section",
        lambda kw, shown: [
            f"list:section:{s.pk}"
            for s in _subject(Section, "slug", kw.get("slug"), shown)
        ],
    )
    register_page(
        "articles:author",
        lambda kw, shown: [
            f"list:author:{a.pk}"
            for a in _subject(Author, "slug", kw.get("slug"), shown)
        ],
    )
    for name in ("feeds:latest", "feeds:latest_atom", "artists:feed"):
        register_page(name, lambda kw, shown: ["feed", "list:stories"])
