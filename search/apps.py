from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save

from core import pagecache
from search import name_version, sqlite_text


class SearchConfig(AppConfig):
    """Search over every app's content. Its own tables: SQLite's story index (FTS5)
    and the synonyms editors keep; PostgreSQL's vectors live on the content's tables,
    kept by the apps' migrations."""

    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        connection_created.connect(sqlite_text.register, dispatch_uid="search-sqlite")
        # A synonym changes what searches (and so pages) find.
        pagecache.register_public_models(*self.get_models())
        # Every process renews its name index when a name row changes.
        for label in name_version.NAME_MODELS:
            for signal in (post_save, post_delete):
                signal.connect(
                    name_version.names_changed,
                    sender=label,
                    dispatch_uid=f"search-names-{label}",
                )
