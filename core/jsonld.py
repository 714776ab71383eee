"""schema.org data in a page: the safe ``<script>`` block, and breadcrumbs.

Each app builds its own objects' data as plain dicts (``articles.jsonld``,
``artists.jsonld``, ``discography.jsonld``); this is what they share.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

# The characters that could end the <script> element or open a comment inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def jsonld(data: dict[str, Any] | None) -> SafeString:
    """A <script type="application/ld+json"> block; hostile names cannot break out."""
    if not data:
        return SafeString("")
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>',
        SafeString(payload.translate(_JSON_SCRIPT_ESCAPES)),
    )


def breadcrumbs_jsonld(
    crumbs: list[tuple[str, str]], request: HttpRequest
) -> dict[str, Any]:
    """A schema.org BreadcrumbList from (name, path) pairs, home first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }
