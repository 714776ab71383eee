"""The SQL function SQLite's story index uses to read a body as plain text.

The triggers that keep ``search_storytext`` current (migration 0001) call
``search_plain_text(body)``; every SQLite connection Django opens gets it
(:meth:`search.apps.SearchConfig.ready`), so saves and bulk inserts alike index the
words a reader sees, not tag names and attributes.
"""

from __future__ import annotations

import html
import re

FUNCTION = "search_plain_text"
_TAG = re.compile(r"<[^>]*>")


def plain_text(stored_html: str | None) -> str:
    return html.unescape(_TAG.sub(" ", stored_html or ""))


def register(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: add the function to a new SQLite connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            FUNCTION, 1, plain_text, deterministic=True
        )
