from django.apps import AppConfig

from core import pagecache


class ArticlesConfig(AppConfig):
    """Stories, their editorial workflow, embeds and readers' reactions."""

    name = "articles"

    def ready(self) -> None:
        from taggit.models import Tag, TaggedItem

        # Connect the receivers: the embed sync on a story's save, tags' slugs,
        # the trending cards following their story.
        from articles import embeds, event_stories, figures, reads, tags  # noqa: F401
        from articles.models import (
            Article,
            BannedWord,
            EventNotice,
            ReactionDecision,
            ReactionFlag,
            ReactionReport,
            StoryReads,
            WorkingCopy,
        )
        from discography.events import event_changed, register_story_lookup

        # Stories follow their calendar events; the calendar lists the stories.
        event_changed.connect(
            event_stories.on_event_changed, dispatch_uid="articles.event_stories"
        )
        register_story_lookup(event_stories.stories_by_event)

        # Readers never see the moderation record or the word list; everything else
        # of stories (and the tags they wear) shows on public pages.
        # Read counts change every few seconds and show only through lists
        # remembered for a minute (articles.reads), never through a save.
        # Staff-only rows (working copies autosaved every few seconds, readers'
        # reports, desk notices) never reach a public page either.
        private = {
            ReactionFlag,
            ReactionDecision,
            ReactionReport,
            BannedWord,
            EventNotice,
            StoryReads,
            WorkingCopy,
        }
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
        # The photo desk lists story bodies among a photo's uses and searches
        # published stories for related-story cards.
        figures.register()
        # What its pages show and its changes touch (core.pagedeps keys).
        from articles import cachekeys

        cachekeys.register()
