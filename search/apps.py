from django.apps import AppConfig
from django.db.backends.signals import connection_created

from core import pagecache
from search import sqlite_text


class SearchConfig(AppConfig):
    """Search over every app's content. Its own tables: SQLite's story index (FTS5)
    and the synonyms editors keep; PostgreSQL's vectors live on the content's tables,
    kept by the apps' migrations."""

    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        connection_created.connect(sqlite_text.register, dispatch_uid="search-sqlite")
        # A synonym changes what searches (and so pages) find; it also renews the
        # name index, which follows the content generation (search.names).
        pagecache.register_public_models(*self.get_models())
