"""Writers fill in what a network did not give for the posts their story embeds.

Without a network fetch (oEmbed is off by default) a post is only its address;
the card shows the platform, the handle and the date the address tells, and the
words stay missing until someone types them. Editors correct any post in the
social-post admin; the story's own writer may fill in the empty author, handle and
text of the posts in that story here. Each fill-in is an edit on the post's admin
history (who, when, which fields).
"""

from __future__ import annotations

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from articles.models import Article, SocialPost
from articles.services import can_edit_article

FILLABLE = ("author_name", "author_handle", "text")
LIMITS = {"author_name": 200, "author_handle": 100, "text": 5000}


def may_fill_in(*, user: AbstractBaseUser, article: Article) -> bool:
    """Whoever may edit the story may fill in its posts' missing details."""
    return can_edit_article(user=user, article=article)


@transaction.atomic
def fill_in_post_details(
    *, post: SocialPost, article: Article, by: AbstractBaseUser, **values: str
) -> list[str]:
    """Set the empty ones of ``FILLABLE`` on a post of ``article``; the fields set.

    Someone who may change social posts (editors) may also replace filled ones."""
    if not may_fill_in(user=by, article=article):
        raise PermissionDenied("You may not edit this story.")
    if not article.social_posts.filter(pk=post.pk).exists():
        raise PermissionDenied("This post is not in this story.")
    may_replace = by.has_perm("articles.change_socialpost")
    locked = SocialPost.objects.select_for_update().get(pk=post.pk)
    changed = []
    for name in FILLABLE:
        value = (
            " ".join((values.get(name) or "").split())
            if name != "text"
            else ((values.get(name) or "").strip())
        )
        if name == "author_handle":
            value = value.lstrip("@")
        value = value[: LIMITS[name]]
        if not value or value == getattr(locked, name):
            continue
        if getattr(locked, name) and not may_replace:
            continue  # a writer fills in; correcting is the editors' job
        setattr(locked, name, value)
        changed.append(name)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[locked],
            action_flag=CHANGE,
            change_message=[
                {
                    "changed": {
                        "fields": [
                            SocialPost._meta.get_field(n).verbose_name for n in changed
                        ]
                    }
                }
            ],
            single_object=True,
        )
        for name in changed:
            setattr(post, name, getattr(locked, name))
    return changed
