"""Text a result shows: plain text from stored HTML, snippets, highlighted words.

Pure functions of strings, the same whichever database found the row. Everything
returned as markup is escaped first, so nothing stored (or typed) can inject any.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.query import SearchTerms

SNIPPET_CHARS = 220

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def plain_text(stored_html: str) -> str:
    """Readable text from stored (sanitised) HTML; the result is still untrusted."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", stored_html or ""))).strip()


@lru_cache(maxsize=256)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


def highlight(text: str, terms: tuple[str, ...]) -> SafeString:
    """``text`` escaped, with the words that matched wrapped in ``<mark>``.

    Matches are found on the plain text, then every piece is escaped before the
    marks go around it, so nothing stored (or typed) can inject markup.
    """
    pattern = _term_pattern(terms)
    if pattern is None:
        return escape(text)
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def snippet(text: str, terms: tuple[str, ...], *, size: int = SNIPPET_CHARS) -> str:
    """A window of ``text`` around the first matching word, cut at word boundaries."""
    if len(text) <= size:
        return text
    pattern = _term_pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0 if match is None else max(0, match.start() - size // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < match.start() else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def _text_around(stored_html: str, start: int, end: int) -> tuple[str, bool, bool]:
    """Plain text of ``stored_html[start:end]``, without the tags cut at its edges;
    and whether text was left out before and after it."""
    piece = stored_html[start:end]
    if start > 0 and 0 <= piece.find(">") < (piece.find("<") % (len(piece) + 1)):
        piece = piece[piece.find(">") + 1 :]  # began inside a tag
    if end < len(stored_html) and piece.rfind("<") > piece.rfind(">"):
        piece = piece[: piece.rfind("<")]  # ended inside one
    return plain_text(piece), start > 0, end < len(stored_html)


def story_snippet(story: Any, terms: SearchTerms) -> str:
    """The text shown under a story's headline: the dek when it holds a word of the
    query, else the body around the first word that matched, else the dek (or the
    body's opening).

    Only a window of the body around the match is turned into text: bodies run to
    thousands of characters and a results page shows twenty of them.
    """
    pattern = _term_pattern(terms.marked)
    dek = story.dek or ""
    if pattern is not None and pattern.search(dek):
        return dek
    body = story.body or ""
    reach = SNIPPET_CHARS * 3
    match = pattern.search(body) if pattern is not None else None
    if match is not None:
        text, before, after = _text_around(
            body, max(0, match.start() - reach), match.end() + reach
        )
        if pattern.search(text):  # not only inside a tag's attribute
            cut = snippet(text, terms.marked)
            if before and not cut.startswith("… "):
                cut = "… " + cut
            if after and not cut.endswith(" …"):
                cut += " …"
            return cut
    if dek:
        return dek
    text, _, after = _text_around(body, 0, reach)
    cut = snippet(text, ())
    return cut + " …" if after and not cut.endswith(" …") else cut
