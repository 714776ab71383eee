"""Share links for a story, built here as plain addresses.

No network's script or button is loaded: each link is an ordinary ``<a href>`` to the
network's own share page, so nothing leaves the reader's browser before they click.
"Copy link" and the phone's share sheet (Web Share API) are buttons that
static/js/site.js reveals where the browser supports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode


@dataclass(frozen=True)
class ShareLink:
    key: str  # also the name of its mark (jinja2/includes/marks.html)
    label: str
    href: str


def share_links(url: str, title: str) -> list[ShareLink]:
    """Links to share ``url`` (absolute) with ``title`` on X, Facebook, LINE,
    WhatsApp and by e-mail; Hangul and every other text is percent-encoded."""
    title = " ".join((title or "").split())
    text_and_url = f"{title} {url}".strip()
    return [
        ShareLink(
            "x",
            "X",
            "https://x.com/intent/post?" + urlencode({"text": title, "url": url}),
        ),
        ShareLink(
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        ShareLink(
            "line",
            "LINE",
            "https://social-plugins.line.me/lineit/share?" + urlencode({"url": url}),
        ),
        ShareLink(
            "whatsapp",
            "WhatsApp",
            "https://wa.me/?" + urlencode({"text": text_and_url}),
        ),
        ShareLink(
            "email",
            "E-mail",
            f"mailto:?subject={quote(title)}&body={quote(text_and_url)}",
        ),
    ]
