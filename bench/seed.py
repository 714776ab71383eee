"""Seed a PostgreSQL database with N stories and everything they link to, at COPY speed.

Rows are generated in Python (seeded RNG, so every run builds the same site) and
streamed with ``COPY ... FROM STDIN``: no ORM saves and no signals, which is why
100,000 stories take well under three minutes. Columns a generator does not set get
the model field's default, prepared once. Sequences are moved past the inserted ids
and the tables ANALYZEd at the end, so the planner sees the real sizes.
"""

from __future__ import annotations

import datetime
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import connection, models
from django.utils import timezone
from django.utils.text import slugify

WORDS = (
    "comeback stage chart album single title track teaser concept showcase fans "
    "fandom tour encore stadium arena ballad choreography producer lyrics debut "
    "anniversary variety broadcast music show trophy streaming record label agency "
    "trainee unit member leader vocalist rapper dancer visual maknae festival "
    "billboard melon circle weekly daily global world seoul busan tokyo bangkok "
    "lightstick slogan photocard release pre-release mini full studio acoustic "
    "remix collaboration feature duet ost drama film documentary livestream"
).split()
HEADLINE_VERBS = (
    "announces",
    "drops",
    "tops",
    "teases",
    "wraps",
    "confirms",
    "celebrates",
    "breaks",
    "opens",
    "reveals",
)
POST_URLS = (
    "https://x.com/benchfan/status/{n}",
    "https://www.instagram.com/p/B{n}x/",
    "https://www.youtube.com/watch?v=bn{short:09d}",
)


def post_url(offset: int) -> str:
    """The post the story at ``offset`` embeds (X, Instagram or YouTube in turn)."""
    return POST_URLS[offset % 3].format(n=10**15 + offset, short=offset % 10**9)


def progress(label: str, done: int, total: int, started: float) -> None:
    """Plain stderr progress: one line, rewritten in place."""
    width = 30
    filled = int(width * done / max(total, 1))
    elapsed = time.monotonic() - started
    sys.stderr.write(
        f"\r  {label:<22} [{'#' * filled}{'.' * (width - filled)}] "
        f"{done:>9,}/{total:,} {elapsed:6.1f}s"
    )
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


@dataclass
class Copier:
    """COPY rows into one model's table; unspecified columns take field defaults."""

    model: type[models.Model]
    columns: Sequence[str]  # attnames the generator supplies, in row order
    constants: list = field(init=False)
    all_columns: list[str] = field(init=False)

    def __post_init__(self) -> None:
        given = set(self.columns)
        self.constants, rest = [], []
        for model_field in self.model._meta.concrete_fields:
            if model_field.attname in given:
                continue
            if model_field.attname == "id":
                raise ValueError(f"{self.model.__name__}: supply ids explicitly")
            default = model_field.get_default()
            self.constants.append(model_field.get_db_prep_save(default, connection))
            rest.append(model_field.column)
        columns = [
            self.model._meta.get_field(_name(self.model, c)).column
            for c in self.columns
        ]
        self.all_columns = columns + rest

    def copy(self, rows: Iterable[Sequence], *, total: int, label: str) -> int:
        table = self.model._meta.db_table
        column_sql = ", ".join(f'"{c}"' for c in self.all_columns)
        started = time.monotonic()
        count = 0
        constants = tuple(self.constants)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f'COPY "{table}" ({column_sql}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(tuple(row) + constants)
                    count += 1
                    if count % 5000 == 0:
                        progress(label, count, total, started)
        progress(label, total if count == total else count, count, started)
        return count


def _name(model: type[models.Model], attname: str) -> str:
    for model_field in model._meta.concrete_fields:
        if model_field.attname == attname:
            return model_field.name
    raise LookupError(f"{model.__name__}.{attname}")


def next_id(model: type[models.Model]) -> int:
    found = model.objects.aggregate(top=models.Max("pk"))["top"]
    return (found or 0) + 1


def zipf_choice(rng: random.Random, items: Sequence, s: float = 1.1) -> object:
    """A popularity-skewed pick: a few artists and tags appear in most stories."""
    n = len(items)
    index = min(n - 1, int(n * rng.random() ** (1 + s * 2)))
    return items[index]


@dataclass
class SeedResult:
    stories: int
    seconds: float
    rows: dict[str, int]
    viral_story_slug: str
    story_slugs: list[str]
    artist_slugs: list[str]
    release_slugs: list[str]
    tag_slugs: list[str]
    section_slugs: list[str]
    author_slugs: list[str]
    search_vectors: str


def seed(stories: int, *, rng_seed: int = 20261125) -> SeedResult:
    """Insert ``stories`` published stories with their links; returns what it made."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    from articles.models import (
        Article,
        Author,
        Byline,
        Correction,
        FanReaction,
        Section,
        SocialPost,
        Source,
    )
    from articles.social_urls import parse_post_url
    from artists.models import Artist
    from artists.slugs import name_key
    from discography.models import Release, ReleaseCredit

    rng = random.Random(rng_seed)
    started = time.monotonic()
    rows: dict[str, int] = {}
    now = timezone.now()

    # Small tables through the ORM (thousands of rows, a second or two).
    sections = list(Section.objects.all()) or [
        Section.objects.create(name="News", slug="news")
    ]
    first_author = next_id(Author)
    authors = Author.objects.bulk_create(
        Author(
            id=first_author + n,
            display_name=f"Reporter {n:03d}",
            slug=f"bench-reporter-{n:03d}",
            bio="Covers K-pop for the desk.",
        )
        for n in range(80)
    )
    artist_count = max(300, min(5000, stories // 20))
    first_artist = next_id(Artist)
    new_artists = []
    for n in range(artist_count):
        name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {n}"
        new_artists.append(
            Artist(
                id=first_artist + n,
                name=name,
                sort_name=name,
                slug=f"bench-{slugify(name)}",
                kind=rng.choice(["person", "group"]),
                name_key=name_key(name),
                native_name_key="",
                bio="<p>A synthetic artist for the benchmark.</p>",
            )
        )
    Artist.objects.bulk_create(new_artists, batch_size=2000)
    artists = list(Artist.objects.values_list("id", "slug"))
    # Demo artists (IU, V, ...) first: they are the popular ones, as in real life.
    artists.sort(key=lambda a: a[0] >= first_artist)
    rows["artists_artist"] = len(new_artists)

    release_count = max(200, stories // 25)
    first_release = next_id(Release)
    Release.objects.bulk_create(
        (
            Release(
                id=first_release + n,
                title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {n}",
                slug=f"bench-release-{n}",
                kind=rng.choice(["album", "ep", "single"]),
                released_on=datetime.date(2015, 1, 1)
                + datetime.timedelta(days=rng.randrange(4000)),
            )
            for n in range(release_count)
        ),
        batch_size=2000,
    )
    ReleaseCredit.objects.bulk_create(
        (
            ReleaseCredit(
                release_id=first_release + n,
                artist_id=zipf_choice(rng, artists)[0],
                position=0,
            )
            for n in range(release_count)
        ),
        batch_size=2000,
    )
    releases = list(Release.objects.values_list("id", "slug"))
    rows["discography_release"] = release_count

    first_tag = next_id(Tag)
    tag_names = sorted({f"{a}-{b}" for a in WORDS[:40] for b in WORDS[40:52]})[:400]
    Tag.objects.bulk_create(
        Tag(id=first_tag + n, name=name, slug=name) for n, name in enumerate(tag_names)
    )
    tags = list(Tag.objects.values_list("id", "slug"))
    rows["taggit_tag"] = len(tag_names)

    bodies = [_body(rng, n) for n in range(400)]
    first_story = next_id(Article)
    first_post = next_id(SocialPost)
    story_ids = range(first_story, first_story + stories)
    published = {}

    def story_rows() -> Iterator[tuple]:
        for offset, story_id in enumerate(story_ids):
            headline = (
                f"{zipf_choice(rng, artists)[1].removeprefix('bench-').replace('-', ' ').title()} "
                f"{rng.choice(HEADLINE_VERBS)} {rng.choice(WORDS)} {rng.choice(WORDS)}"
            )
            # Newest stories last in id order, spread over about five years.
            at = now - datetime.timedelta(
                minutes=(stories - offset) * 25 + rng.randrange(20)
            )
            roll = rng.random()
            status = (
                "published" if roll < 0.97 else ("draft" if roll < 0.99 else "archived")
            )
            if status == "published":
                published[story_id] = at
            body = bodies[offset % len(bodies)]
            if offset % 20 == 0:  # one story in twenty embeds a post
                body = body.replace("</p>", f"</p><p>{post_url(offset)}</p>", 1)
            yield (
                story_id,
                headline[:200],
                f"{slugify(headline)[:180]}-{story_id}",
                f"What {headline.lower()} means for fans."[:300],
                body,
                rng.choice(sections).pk,
                roll < 0.02,  # featured
                status,
                at,
                at,
                at,
            )

    article = Copier(
        Article,
        [
            "id",
            "headline",
            "slug",
            "dek",
            "body",
            "section_id",
            "is_featured",
            "status",
            "published_at",
            "created_at",
            "updated_at",
        ],
    )
    slugs: list[str] = []

    def remember(rows_: Iterator[tuple]) -> Iterator[tuple]:
        for row in rows_:
            slugs.append(row[2])
            yield row

    rows["articles_article"] = article.copy(
        remember(story_rows()), total=stories, label="stories"
    )

    ids = list(story_ids)
    byline_id = next_id(Byline)

    def byline_rows():
        n = byline_id
        for story_id in ids:
            chosen = rng.sample(authors, 1 if rng.random() < 0.8 else 2)
            for position, author in enumerate(chosen):
                yield (n, story_id, author.pk, position)
                n += 1

    rows["articles_byline"] = Copier(
        Byline, ["id", "article_id", "author_id", "position"]
    ).copy(byline_rows(), total=int(stories * 1.2), label="bylines")

    content_type = ContentType.objects.get_for_model(Article).pk
    tagged_id = next_id(TaggedItem)

    def tag_rows():
        n = tagged_id
        for story_id in ids:
            for tag_id in {zipf_choice(rng, tags)[0] for _ in range(rng.randint(2, 5))}:
                yield (n, tag_id, story_id, content_type)
                n += 1

    rows["taggit_taggeditem"] = Copier(
        TaggedItem, ["id", "tag_id", "object_id", "content_type_id"]
    ).copy(tag_rows(), total=int(stories * 3.3), label="tags")

    through = Article.artists.through

    first_artist_rows = next_id(through)

    def artist_rows(n=first_artist_rows):
        for story_id in ids:
            for artist_id in {
                zipf_choice(rng, artists)[0] for _ in range(rng.randint(1, 3))
            }:
                yield (n, story_id, artist_id)
                n += 1

    rows["articles_article_artists"] = Copier(
        through, ["id", "article_id", "artist_id"]
    ).copy(artist_rows(), total=int(stories * 1.9), label="story artists")

    release_through = Article.releases.through

    first_release_rows = next_id(release_through)

    def release_rows(n=first_release_rows):
        for story_id in ids:
            if rng.random() < 0.3:
                yield (n, story_id, zipf_choice(rng, releases)[0])
                n += 1

    rows["articles_article_releases"] = Copier(
        release_through, ["id", "article_id", "release_id"]
    ).copy(release_rows(), total=int(stories * 0.3), label="story releases")

    first_source_rows = next_id(Source)

    def source_rows(n=first_source_rows):
        for story_id in ids:
            if rng.random() < 0.5:
                yield (
                    n,
                    story_id,
                    "Agency press release",
                    "https://example.com/press",
                    0,
                )
                n += 1

    rows["articles_source"] = Copier(
        Source, ["id", "article_id", "name", "url", "position"]
    ).copy(source_rows(), total=stories // 2, label="sources")

    first_correction_rows = next_id(Correction)

    def correction_rows(n=first_correction_rows):
        for story_id in ids[::33]:
            yield (
                n,
                story_id,
                "correction",
                "An earlier version misspelled a name.",
                now,
            )
            n += 1

    rows["articles_correction"] = Copier(
        Correction, ["id", "article_id", "kind", "note", "noted_at"]
    ).copy(correction_rows(), total=len(ids[::33]), label="corrections")

    post_ids = ids[::20]

    def post_rows():
        for offset, story_id in enumerate(post_ids):
            n = story_id - first_story
            ref = parse_post_url(post_url(n))
            yield (
                first_post + offset,
                ref.platform,
                ref.post_id,
                ref.canonical_url,
                "Bench Fan",
                "benchfan",
                "Counting down to the comeback!",
                now,
                now,
                now,
            )

    rows["articles_socialpost"] = Copier(
        SocialPost,
        [
            "id",
            "platform",
            "post_id",
            "url",
            "author_name",
            "author_handle",
            "text",
            "posted_at",
            "created_at",
            "updated_at",
        ],
    ).copy(post_rows(), total=len(post_ids), label="social posts")
    post_through = SocialPost.articles.through
    first_link = next_id(post_through)
    rows["articles_socialpost_articles"] = Copier(
        post_through, ["id", "socialpost_id", "article_id"]
    ).copy(
        ((first_link + i, first_post + i, sid) for i, sid in enumerate(post_ids)),
        total=len(post_ids),
        label="post links",
    )

    # The viral story: the newest published one, with a flood of reactions.
    viral = max(published, key=published.get)
    viral_slug = slugs[viral - first_story]

    first_reaction_rows = next_id(FanReaction)

    def reaction_rows(n=first_reaction_rows):
        for story_id in [viral] * 1 + ids:
            count = (
                2000
                if story_id == viral
                else (rng.randint(1, 12) if rng.random() < 0.3 else 0)
            )
            for k in range(count):
                status = "approved" if rng.random() < 0.8 else "pending"
                message = (
                    f"{rng.choice(WORDS).title()} {rng.choice(WORDS)}! So proud {k}."
                )
                yield (
                    n,
                    story_id,
                    f"fan{n % 997}",
                    message,
                    "heart",
                    status,
                    k % 50 == 0,
                    now - datetime.timedelta(minutes=k),
                    f"{n:064x}",
                    f"{n:064x}",
                )
                n += 1

    rows["articles_fanreaction"] = Copier(
        FanReaction,
        [
            "id",
            "article_id",
            "display_name",
            "message",
            "emoji",
            "status",
            "is_featured",
            "created_at",
            "fingerprint",
            "message_digest",
        ],
    ).copy(reaction_rows(), total=int(stories * 0.3 * 6.5) + 2000, label="reactions")

    search_vectors = refresh_search_vectors()
    with connection.cursor() as cursor:
        # Filled by the story-topic triggers while the links were copied.
        cursor.execute("SELECT count(*) FROM articles_storytopic")
        (rows["articles_storytopic (by triggers)"],) = cursor.fetchone()
    _finish()
    seconds = time.monotonic() - started
    pub_slugs = [slugs[i - first_story] for i in published]
    return SeedResult(
        stories=stories,
        seconds=seconds,
        rows=rows,
        viral_story_slug=viral_slug,
        story_slugs=rng.sample(pub_slugs, min(500, len(pub_slugs))),
        artist_slugs=[slug for _, slug in artists[:200]],
        release_slugs=[slug for _, slug in releases[:200]],
        tag_slugs=[slug for _, slug in tags[:50]],
        section_slugs=[s.slug for s in sections],
        author_slugs=[a.slug for a in authors[:20]],
        search_vectors=search_vectors,
    )


def _body(rng: random.Random, n: int) -> str:
    paragraphs = []
    for _ in range(rng.randint(4, 8)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(30, 60))]
        paragraphs.append(f"<p>{' '.join(words).capitalize()}.</p>")
    paragraphs.insert(2, "<h2>What comes next</h2>")
    return "".join(paragraphs)


# Search vectors, when the search issue has added a stored column: one UPDATE per table.
SEARCH_VECTOR_UPDATES = {
    "articles_article": (
        "setweight(to_tsvector('simple', coalesce(headline, '')), 'A') || "
        "setweight(to_tsvector('simple', coalesce(dek, '')), 'B') || "
        "setweight(to_tsvector('simple', coalesce(body, '')), 'C')"
    ),
}


def refresh_search_vectors() -> str:
    """One bulk UPDATE per table that has a ``search_vector`` column; else skipped."""
    try:
        from articles.search import refresh_all_search_vectors  # type: ignore
    except ImportError:
        refresh_all_search_vectors = None
    if refresh_all_search_vectors is not None:
        refresh_all_search_vectors()
        return "refreshed by articles.search.refresh_all_search_vectors()"
    done = []
    with connection.cursor() as cursor:
        for table, expression in SEARCH_VECTOR_UPDATES.items():
            cursor.execute(
                "SELECT 1 FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = 'search_vector'",
                [table],
            )
            if not cursor.fetchone():
                continue
            # The search migrations keep the vectors with BEFORE INSERT triggers, which
            # fire for COPY too: rewrite only rows a trigger did not fill.
            cursor.execute(f"SELECT count(*) FROM {table} WHERE search_vector IS NULL")
            (missing,) = cursor.fetchone()
            if missing:
                cursor.execute(
                    f"UPDATE {table} SET search_vector = {expression} "
                    "WHERE search_vector IS NULL"
                )
                done.append(f"{table} ({missing:,} rows updated)")
            else:
                done.append(f"{table} (filled by the database trigger during COPY)")
    return f"{'; '.join(done)}" if done else "skipped (no search_vector column)"


def _finish() -> None:
    """Move every sequence past the inserted ids, then VACUUM ANALYZE.

    VACUUM sets the visibility map, as autovacuum would on a live site, so counts
    can be index-only scans; ANALYZE gives the planner the real sizes.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE column_default LIKE 'nextval%%' OR is_identity = 'YES'"
        )
        for table, column in cursor.fetchall():
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                f'coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, false)',
                [table, column],
            )
        cursor.execute("VACUUM ANALYZE")
