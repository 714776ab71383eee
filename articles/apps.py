from django.apps import AppConfig

from core import pagecache


class ArticlesConfig(AppConfig):
    """Stories, their editorial workflow, embeds and readers' reactions."""

    name = "articles"

    def ready(self) -> None:
        from taggit.models import Tag, TaggedItem

        # Connect the receivers: the embed sync on a story's save, tags' slugs.
        from articles import embeds, tags  # noqa: F401
        from articles.models import (
            Article,
            BannedWord,
            ReactionDecision,
            ReactionFlag,
            StoryReads,
        )

        # Readers never see the moderation record or the word list; everything else
        # of stories (and the tags they wear) shows on public pages.
        # Read counts change every few seconds and show only through lists
        # remembered for a minute (articles.reads), never through a save.
        private = {ReactionFlag, ReactionDecision, BannedWord, StoryReads}
        pagecache.register_public_models(
            *(
                model
                for model in self.get_models(include_auto_created=True)
                if model not in private
            ),
            Tag,
            TaggedItem,
        )
        pagecache.register_schedule(Article.objects.next_go_live)
