"""What a story body (and a live entry's) may hold: the editor's extensions and the
sanitizer that keeps exactly what they make."""

import re

from core.sanitize import clean_html

BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
    "HTML": True,
    # Library photos, galleries and related-story cards (photos/prose_figures.js).
    "LibraryFigure": True,
}


def sanitize_body(html: str | None) -> str:
    """The editor's sanitizer: our one nh3 allow-list, and empty stays empty."""
    cleaned = clean_html(html)
    return "" if re.fullmatch(r"(<p>\s*</p>\s*)*", cleaned) else cleaned
