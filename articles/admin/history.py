"""A story's history as a diff: any two saved versions, field by field.

Versions are django-reversion's; this module only reads them. Text fields are
compared word by word (the body as its text, without markup); lists (tags,
artists) as what was added and removed; the picture by its file. Everything shown
is escaped: the diff is built from plain text, never from stored HTML.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version
from taggit.models import Tag, TaggedItem

from artists.models import Artist

_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class FieldDiff:
    label: str
    changed: bool
    html: SafeString


def body_text(value: str) -> str:
    """The body as readers read it: tags out, entities decoded, blocks on lines."""
    with_breaks = re.sub(
        r"(?i)</(p|h[1-6]|li|blockquote|figure)>|<br\s*/?>", "\n", value
    )
    return html.unescape(strip_tags(with_breaks)).strip()


def word_diff(old: str, new: str) -> SafeString:
    """Old and new text with removed words in <del> and added ones in <ins>."""
    before, after = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[a1:a2])))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", "".join(before[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", "".join(after[b1:b2])))
    return mark_safe("".join(parts))  # noqa: S308 - every part escaped above


def saved_tag_ids(version: Version) -> list[int]:
    """The tags saved with a version: the tag rows its revision kept."""
    rows = Version.objects.get_for_model(TaggedItem).filter(
        revision_id=version.revision_id
    )
    story = str(version.object_id)
    return [
        row.field_dict["tag_id"]
        for row in rows
        if str(row.field_dict.get("object_id")) == story
    ]


def _ids(value) -> list:
    return [getattr(item, "pk", item) for item in value or []]


def set_diff(old: list[str], new: list[str]) -> SafeString:
    removed = [name for name in old if name not in new]
    added = [name for name in new if name not in old]
    kept = [name for name in new if name in old]
    return format_html(
        "{}{}{}",
        format_html_join(" ", "<del>{}</del>", ((n,) for n in removed)),
        format_html_join(" ", "<ins>{}</ins>", ((n,) for n in added)),
        format_html_join(" ", '<span class="kept">{}</span>', ((n,) for n in kept)),
    )


def compare(old: Version, new: Version) -> list[FieldDiff]:
    """The fields editors care about, old against new (two queries for names)."""
    a, b = dict(old.field_dict), dict(new.field_dict)
    a["tags"], b["tags"] = saved_tag_ids(old), saved_tag_ids(new)
    tag_ids = set(a["tags"]) | set(b["tags"])
    artist_ids = set(_ids(a.get("artists"))) | set(_ids(b.get("artists")))
    tag_names = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
    artist_names = dict(
        Artist.objects.filter(pk__in=artist_ids).values_list("pk", "name")
    )

    def names(field: str, found: dict, row: dict) -> list[str]:
        return sorted(found.get(pk, f"#{pk}") for pk in _ids(row.get(field)))

    rows = [
        ("Headline", a.get("headline", ""), b.get("headline", "")),
        ("Summary (dek)", a.get("dek", ""), b.get("dek", "")),
        ("Body text", body_text(a.get("body", "")), body_text(b.get("body", ""))),
    ]
    diffs = [FieldDiff(label, x != y, word_diff(x, y)) for label, x, y in rows]
    for label, field, found in (
        ("Tags", "tags", tag_names),
        ("Artists", "artists", artist_names),
    ):
        x, y = names(field, found, a), names(field, found, b)
        diffs.append(FieldDiff(label, x != y, set_diff(x, y)))
    picture = [str(a.get("hero_image") or "—"), str(b.get("hero_image") or "—")]
    alt = [a.get("hero_alt", ""), b.get("hero_alt", "")]
    diffs.append(
        FieldDiff(
            "Picture",
            picture[0] != picture[1] or alt[0] != alt[1],
            format_html(
                "{}<br><small>alt text: {}</small>",
                word_diff(picture[0], picture[1]),
                word_diff(alt[0], alt[1]),
            ),
        )
    )
    return diffs


def chosen_pair(
    versions: list[Version], old_id: str | None, new_id: str | None
) -> tuple[Version, Version] | None:
    """The two versions to compare: as asked (?old=&new=), else the latest two."""
    if len(versions) < 2:
        return None
    by_id = {str(version.pk): version for version in versions}
    new = by_id.get(new_id or "", versions[0])
    old = by_id.get(old_id or "", versions[1] if new is versions[0] else versions[0])
    if old is new:
        return None
    # Whatever order they were picked in, the older one is "before".
    if old.revision.date_created > new.revision.date_created:
        old, new = new, old
    return old, new
