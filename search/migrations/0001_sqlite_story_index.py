"""SQLite's whole-word story index: an FTS5 table kept by triggers (SQLite only).

Headline, dek and the body's plain text (``search_plain_text``, a function every
Django connection registers; defined again here, as a migration imports no live code)
in an FTS5 table whose rowid is the story's id, with an ``fts5vocab`` view of its
words for spelling corrections. PostgreSQL has its own vectors (articles 0300) and
gets nothing here.
"""

import html
import re

from django.db import migrations

_TAG = re.compile(r"<[^>]*>")

FORWARDS = [
    """CREATE VIRTUAL TABLE search_storytext USING fts5(
        headline, dek, body, tokenize = 'unicode61 remove_diacritics 2')""",
    "CREATE VIRTUAL TABLE search_storyvocab USING fts5vocab(search_storytext, 'row')",
    """CREATE TRIGGER search_storytext_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO search_storytext (rowid, headline, dek, body)
        VALUES (new.id, new.headline, new.dek, search_plain_text(new.body));
    END""",
    """CREATE TRIGGER search_storytext_update
        AFTER UPDATE OF headline, dek, body ON articles_article BEGIN
        DELETE FROM search_storytext WHERE rowid = old.id;
        INSERT INTO search_storytext (rowid, headline, dek, body)
        VALUES (new.id, new.headline, new.dek, search_plain_text(new.body));
    END""",
    """CREATE TRIGGER search_storytext_delete AFTER DELETE ON articles_article BEGIN
        DELETE FROM search_storytext WHERE rowid = old.id;
    END""",
    """INSERT INTO search_storytext (rowid, headline, dek, body)
        SELECT id, headline, dek, search_plain_text(body) FROM articles_article""",
]
BACKWARDS = [
    "DROP TRIGGER IF EXISTS search_storytext_delete",
    "DROP TRIGGER IF EXISTS search_storytext_update",
    "DROP TRIGGER IF EXISTS search_storytext_insert",
    "DROP TABLE IF EXISTS search_storyvocab",
    "DROP TABLE IF EXISTS search_storytext",
]


def _plain_text(stored_html):
    return html.unescape(_TAG.sub(" ", stored_html or ""))


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        "search_plain_text", 1, _plain_text, deterministic=True
    )
    for statement in FORWARDS:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in BACKWARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0505_plausible_dates")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
