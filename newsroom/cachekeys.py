"""The list keys of the site-wide pages (core.pagedeps): the home page, search and
the sitemaps show stories that may not exist yet when they are cached."""

from __future__ import annotations

from articles.reads import TRENDING_LIST
from core.pagedeps import register_page


def register() -> None:
    register_page("home", lambda kw, shown: ["list:home", TRENDING_LIST])
    register_page("search", lambda kw, shown: ["list:stories", "list:artists"])
    for name in ("sitemap", "sitemap_section"):
        register_page(name, lambda kw, shown: ["sitemap"])
    register_page("robots_txt", lambda kw, shown: [])
