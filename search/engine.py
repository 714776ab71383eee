"""What a search answers: every result group for a query, with pages and facets.

Views call :func:`search.query.parse_query` and :func:`run_search` and never ask which
database answers: :func:`backend` picks the backend by the database's vendor (the
hand-written PostgreSQL one, else the portable ORM one) and binds it to the database
alias the router gives public reads. Every result group is one query whatever the
data size, so a results page costs the same few queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections, router

from articles.models import Article
from search.backends.base import Found, SearchBackend
from search.backends.portable import PortableBackend
from search.backends.postgres import PostgresBackend
from search.backends.sqlite import SqliteBackend
from search.facets import Facets
from search.forgive import Forgiven, forgive
from search.names import name_index
from search.query import SearchTerms, parse_query
from search.text import highlight, story_snippet

# Stories are ranked among the newest matches only, so a common word over 100,000
# stories costs a bounded amount of matching and ranking work (measured at 100,000
# stories: a word in ~5% of them is the worst case); totals above it read "200+".
STORY_CANDIDATES = 200
STORIES_PER_PAGE = 20
GROUP_PREVIEW = 5  # artists, releases or tracks shown when every type is listed
GROUP_PER_PAGE = 20  # ... and per page when one type is chosen

TYPES = [
    ("article", "Stories"),
    ("artist", "Artists"),
    ("release", "Releases"),
    ("track", "Tracks"),
]

# A database vendor's own backend; any other database gets the portable one.
BACKENDS: dict[str, type[SearchBackend]] = {
    "postgresql": PostgresBackend,
    "sqlite": SqliteBackend,
}


def backend(using: str | None = None) -> SearchBackend:
    """The backend for the database ``using`` (default: where public reads go)."""
    alias = using or router.db_for_read(Article)
    vendor = connections[alias].vendor
    return BACKENDS.get(vendor, PortableBackend)(alias)


@dataclass
class Group:
    """One type of result: the rows shown and how many matched in all."""

    kind: str
    label: str
    items: list[Any] = field(default_factory=list)
    total: int = 0
    is_capped: bool = False
    page: Page | None = None


@dataclass
class SearchResults:
    terms: SearchTerms  # what was searched for (corrected, names resolved)
    groups: dict[str, Group]
    facets: Facets
    forgiven: Forgiven | None = None

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups.values())


def understand(terms: SearchTerms, db: SearchBackend | None = None) -> Forgiven:
    """What the reader meant (:func:`search.forgive.forgive`): one query for the
    stories' words, and the name index (read again only after content changed)."""
    db = db or backend()
    index = name_index(db.using)
    db.story_shares = index.story_shares
    return forgive(terms, index, db.story_words)


SUGGESTIONS_PER_KIND = 4
SUGGESTED_STORIES = 3
SUGGESTION_CANDIDATES = 50  # the newest matches the suggested stories are ranked among
MIN_SUGGEST_CHARS = 2


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "artist", "release", "track" or "article"
    label: str
    detail: str
    url: str


def suggest(raw: str) -> list[Suggestion]:
    """What a reader typing ``raw`` may be after, for the search box's list: artists,
    releases and tracks from the name index (by prefix from two letters, forgiving
    misspellings), then the best matching stories. At most two queries on
    PostgreSQL (the stories' words, the ranked stories), three on SQLite, whatever
    the data; nothing below two characters."""
    terms = parse_query(raw)
    if len(terms.text) < MIN_SUGGEST_CHARS or terms.is_blank:
        return []
    db = backend()
    index = name_index(db.using)
    db.story_shares = index.story_shares
    forgiven = forgive(terms, index, db.story_words)
    found: dict[str, list[Suggestion]] = {"artist": [], "release": [], "track": []}
    seen = set()
    matches = [*forgiven.matches, *index.match(terms.text, prefix_from=2)]
    for match in matches:
        thing = match.thing
        group = found[thing.kind]
        if thing in seen or len(group) >= SUGGESTIONS_PER_KIND:
            continue
        seen.add(thing)
        url = thing.url
        if url is not None:  # a slug that makes no address is not offered
            group.append(Suggestion(thing.kind, thing.label, thing.detail, url))
    # Ranked as the results page ranks (its statement is planned for the words: a
    # word in few of 100,000 stories is looked up, not walked to newest first).
    ranked = db.ranked_stories(
        Article.objects.published(),
        forgiven.terms,
        candidates=SUGGESTION_CANDIDATES,
        first=0,
        last=SUGGESTED_STORIES,
    )
    found["article"] = [
        Suggestion("article", story.headline, "Story", story.get_absolute_url())
        for story in ranked.page
    ]
    return [
        s for kind in ("artist", "release", "track", "article") for s in found[kind]
    ]


def nearest_names(text: str, *, limit: int = 5) -> list[Suggestion]:
    """Names loosely like ``text``, for a page that found nothing: somewhere to go."""
    index = name_index(backend().using)
    return [
        Suggestion(t.kind, t.label, t.detail, t.url)
        for t in index.loosely_like(text, limit=limit)
        if t.url is not None
    ]


def run_search(
    terms: SearchTerms,
    *,
    stories,
    kind: str = "",
    page: int = 1,
    chosen: dict[str, str] | None = None,
) -> SearchResults:
    """Every group for a query; ``stories`` is already narrowed by the filters.

    At most seven queries whatever the data (six on PostgreSQL, which ranks the
    stories and reads that page's rows in one): the stories' words spelled like the
    query's, ranked story ids, that page's stories, story facets, artists, releases,
    tracks; one more after content changed, to read the name index again.
    With ``kind`` set, that group is paginated and the others only counted (and
    previewed, which costs nothing extra). ``chosen`` names the facet values the
    reader has picked, which the facets keep whatever their rank.
    """
    db = backend()
    forgiven = understand(terms, db)
    terms = forgiven.terms
    page = max(1, page)
    story_page = page if kind == "article" else 1
    first = (story_page - 1) * STORIES_PER_PAGE
    ranked = db.ranked_stories(
        stories,
        terms,
        candidates=STORY_CANDIDATES,
        first=first,
        last=first + STORIES_PER_PAGE,
    )
    for story in ranked.page:
        story.headline_html = highlight(story.headline, terms.marked)
        story.snippet_html = highlight(story_snippet(story, terms), terms.marked)
    total = len(ranked.ids)
    stories_group = Group(
        "article", "Stories", ranked.page, total, total >= STORY_CANDIDATES
    )
    stories_group.page = _page(
        ranked.page, min(total, STORY_CANDIDATES), story_page, STORIES_PER_PAGE
    )
    groups = {"article": stories_group}
    limit = GROUP_PER_PAGE if kind else GROUP_PREVIEW
    for name, label, find, marked_field in (
        ("artist", "Artists", db.artists, "name"),
        ("release", "Releases", db.releases, "title"),
        ("track", "Tracks", db.tracks, "title"),
    ):
        number = page if kind == name else 1
        found = find(terms, limit=limit, offset=(number - 1) * limit)
        groups[name] = _marked_group(name, label, found, marked_field, terms)
        groups[name].page = _page(found.rows, found.total, number, limit)
    facets = db.facets(ranked.ids, keep=chosen or {})
    return SearchResults(terms=terms, groups=groups, facets=facets, forgiven=forgiven)


def _marked_group(
    kind: str, label: str, found: Found, field: str, terms: SearchTerms
) -> Group:
    """A group whose rows carry ``<field>_html``: the field with the words marked."""
    for row in found.rows:
        setattr(row, f"{field}_html", highlight(getattr(row, field), terms.marked))
    return Group(kind, label, found.rows, found.total)


def _page(items: list, total: int, number: int, per_page: int) -> Page:
    """A Django Page for rows fetched with their total in one query."""
    paginator = Paginator([], per_page)
    paginator.count = total  # cached_property: the total came with the rows
    return Page(items, number, paginator)
