"""Every tag gets a slug that makes a working, readable address.

taggit makes a tag's slug with ``slugify``, which keeps letters and digits in any
script and drops everything else: a tag of symbols only ("💜" in "BTS, V, 💜") got
the slug "", no address could be built for it, and every page linking the tag (the
story, its preview) answered 500. The rule here runs on every save of a tag, which
is where taggit, the admin, scripts and ``load_demo`` all make them:

- a name with letters or digits keeps them, in its own script ("방탄소년단");
- a name of symbols is spelled with their Unicode names ("purple-heart");
- a slug another tag has gets a number ("k-pop-2"), and a slug that is empty or not
  a slug ("a/b") is replaced. A slug an editor typed that works is kept.

Migration ``0503_repair_tag_slugs`` applied the same rule to the tags made before.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import validate_unicode_slug
from django.db.models.signals import pre_save
from django.dispatch import receiver
from taggit.models import Tag

from artists.slugs import unique_slug

__all__ = ["TAG_SLUG_FALLBACK", "give_tag_a_usable_slug", "is_usable_slug"]

TAG_SLUG_FALLBACK = "tag"


def is_usable_slug(slug: str | None) -> bool:
    """True for a non-empty slug of letters, digits, hyphens and underscores (any
    script): the ones every address pattern and ``reverse()`` accept."""
    return bool(slug) and validate_unicode_slug.regex.fullmatch(slug) is not None


@receiver(pre_save, sender=Tag, dispatch_uid="articles.tags.usable_slug")
def give_tag_a_usable_slug(sender: type[Tag], instance: Tag, **kwargs: Any) -> None:
    """Before a tag is stored: a usable slug that no other tag has."""
    slug = instance.slug
    if is_usable_slug(slug) and not (
        instance._state.adding and Tag.objects.filter(slug=slug).exists()
    ):
        return
    instance.slug = unique_slug(
        instance, instance.name, fallback=TAG_SLUG_FALLBACK, keep_script=True
    )
