"""The one place stored rich text is cleaned, on the way in and on the way out.

Editors' HTML (article bodies, artist bios, release descriptions) passes through nh3
(the Ammonia sanitizer) with an allow-list that fits a news story: no script, no
event handlers, no style, and links limited to http(s) and mailto.

Cleaning never silently loses a writer's words:

- A comment that is opened and never closed (``<!--`` pasted from a template, a
  bogus ``<!``/``<?``) would hide everything after it, so the opener is dropped
  before nh3 runs and the rest of the story survives.
- :func:`sanitize_report` compares the visible text before and after cleaning and
  names what was removed (the content of a ``<script>``, a paragraph swallowed by
  an unclosed attribute quote); the admin shows it to the writer after the save
  (:class:`SanitizeReportAdminMixin`).
"""

from __future__ import annotations

import difflib
import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import nh3
from django.contrib import messages

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "em", "figcaption", "figure",
    "h2", "h3", "h4", "hr", "i", "li", "ol", "p", "pre", "q", "s", "small", "strong",
    "sub", "sup", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "ol": {"start", "reversed"},
    # Pictures and story cards in a body are references the reader page fills in:
    # <figure data-photo="ID">, <figure data-gallery="ID,ID">, <figure data-story="ID">.
    "figure": {"data-photo", "data-gallery", "data-story"},
}
# The only values those attributes keep: ids (a gallery holds at most 60 pictures).
FIGURE_REFERENCES = {
    "data-photo": re.compile(r"[1-9][0-9]{0,11}"),
    "data-story": re.compile(r"[1-9][0-9]{0,11}"),
    "data-gallery": re.compile(r"[1-9][0-9]{0,11}(?:,[1-9][0-9]{0,11}){0,59}"),
}


def _keep_reference(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: a figure reference keeps a well-formed id list only."""
    pattern = FIGURE_REFERENCES.get(attribute) if element == "figure" else None
    if pattern is None:
        return value
    compact = value.replace(" ", "")
    return compact if pattern.fullmatch(compact) else None


ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# A comment as HTML ends one: at the first "-->" or "--!>", or at once ("<!-->").
_COMMENT = re.compile(r"<!--(?:-?>|.*?--!?>)", re.DOTALL)
# An opener that does not close itself at once ("<!-->" and "<!--->" do).
_OPEN_COMMENT = re.compile(r"<!--(?!-?>)")
# A bogus comment ("<!DOCTYPE", "<![CDATA[", "<?php") runs to the next ">".
_BOGUS_OPENER = re.compile(r"<[!?]")


def clean_html(html: str | None) -> str:
    """Sanitized HTML safe to store and to render; empty for empty input."""
    if not html:
        return ""
    return _nh3(close_open_comments(html)[0])


def _nh3(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_keep_reference,
    ).strip()


def close_open_comments(html: str) -> tuple[str, int]:
    """``html`` with the openers of comments that never close dropped, and how many.

    An HTML parser reads everything after an unclosed ``<!--`` as a comment, so the
    rest of a pasted story vanished; without its opener, what follows is read as the
    story it is. A ``<!`` or ``<?`` with no ``>`` after it would do the same: its
    ``<`` becomes a character, as the writer typed it. Linear time: once one opener
    has no end, none after it can have one either.
    """
    if "<!" not in html and "<?" not in html:
        return html, 0  # the common case costs two scans
    dropped = 0
    position = 0
    while (start := html.find("<!--", position)) >= 0:
        closed = _COMMENT.match(html, start)
        if closed:
            position = closed.end()
            continue
        tail, count = _OPEN_COMMENT.subn("", html[start:])
        html, dropped = html[:start] + tail, dropped + count
        break
    last_close = html.rfind(">")
    for match in reversed(list(_BOGUS_OPENER.finditer(html, last_close + 1))):
        # Nothing closes it: the "<" is a character the writer typed.
        html = html[: match.start()] + "&lt;" + html[match.start() + 1 :]
    return html, dropped


# --- what cleaning removed --------------------------------------------------------

# What a browser never shows: comments, and the content of script and style.
_ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_INVISIBLE = re.compile(
    rf"{_COMMENT.pattern}|<(script|style)\b{_ATTRIBUTES}>.*?</\1\s*>",
    re.DOTALL | re.IGNORECASE,
)
# A tag (quoted attribute values may hold ">"), an end tag, a bogus comment.
_MARKUP = re.compile(rf"<[A-Za-z]{_ATTRIBUTES}>|</[^>]*>|<[!?][^>]*>")
_TOKEN = re.compile(r"\w+|[^\w\s]")
_SPACE = re.compile(r"\s+")
SNIPPET_LENGTH = 80
SNIPPETS_NAMED = 3


def visible_text(html: str) -> str:
    """The text a reader would see in ``html``, read leniently: markup that never
    closes (an unclosed quote, a lone ``<script>``) counts as text, so text a
    strict parser would swallow is still counted."""
    text = _MARKUP.sub(" ", _INVISIBLE.sub(" ", html))
    return html_lib.unescape(text)


def removed_text(before: str, after: str) -> list[str]:
    """Snippets of the visible text of ``before`` that ``after`` lacks."""
    old, new = visible_text(before), visible_text(after)
    if _SPACE.sub("", old) == _SPACE.sub("", new):
        return []  # the common case: tags went, every word stayed
    old_tokens = list(_TOKEN.finditer(old))
    new_tokens = [match.group() for match in _TOKEN.finditer(new)]
    matcher = difflib.SequenceMatcher(
        None, [match.group() for match in old_tokens], new_tokens
    )
    snippets = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op not in ("delete", "replace"):
            continue
        words = "".join(match.group() for match in old_tokens[i1:i2])
        if op == "replace" and words == "".join(new_tokens[j1:j2]):
            continue  # words joined once a tag between them went: nothing lost
        text = _SPACE.sub(" ", old[old_tokens[i1].start() : old_tokens[i2 - 1].end()])
        if len(text) > SNIPPET_LENGTH:
            text = text[: SNIPPET_LENGTH - 1].rstrip() + "…"
        snippets.append(text)
    return snippets


@dataclass(frozen=True)
class SanitizeReport:
    """What cleaning one field took away, in words a writer can act on."""

    removed: tuple[str, ...] = ()
    reopened_comments: int = 0

    def __bool__(self) -> bool:
        return bool(self.removed or self.reopened_comments)

    def message(self, field: str) -> str:
        parts = []
        if self.removed:
            named = ", ".join(f"“{text}”" for text in self.removed[:SNIPPETS_NAMED])
            more = len(self.removed) - SNIPPETS_NAMED
            if more > 0:
                named += f" and {more} more passage{'s' if more != 1 else ''}"
            parts.append(
                f"Cleaning the {field} removed text that cannot be published as "
                f"written (scripts, styles or broken markup): {named}. Check the "
                f"{field} and type anything you still need again."
            )
        if self.reopened_comments:
            parts.append(
                f"The {field} had a comment marker (“<!--”) that was never closed; "
                "it was removed and the text after it was kept."
            )
        return " ".join(parts)


def sanitize_report(
    html: str | None, *, cleaner: Callable[[str | None], str] = clean_html
) -> SanitizeReport:
    """What ``cleaner`` removes from ``html``: visible text, and unclosed comments."""
    if not html:
        return SanitizeReport()
    opened, reopened = close_open_comments(html)
    return SanitizeReport(
        removed=tuple(removed_text(opened, cleaner(html))),
        reopened_comments=reopened,
    )


class SanitizeReportAdminMixin:
    """After a save, tell the writer what cleaning removed from rich-text fields.

    ``sanitized_fields`` maps a field name to the cleaner the model applies to it.
    The form holds what the writer submitted; the report compares it with what the
    cleaner keeps, so a warning names the text instead of dropping it silently.
    """

    sanitized_fields: ClassVar[dict[str, Callable[[str | None], str]]] = {}

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        for name, cleaner in self.sanitized_fields.items():
            if name not in form.cleaned_data:
                continue
            report = sanitize_report(form.cleaned_data[name], cleaner=cleaner)
            if report:
                label = str(form.fields[name].label or name).lower()
                self.message_user(request, report.message(label), messages.WARNING)  # type: ignore[attr-defined]
