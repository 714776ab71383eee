"""Factories for fan-reaction tests (stories built on the minimal Article fields)."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, FanReaction
from articles.moderation import message_digest
from newsroom.groups import EDITORS, MODERATORS, sync_groups


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    headline = factory.Sequence(lambda n: f"Story number {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    body = "<p>A short story body.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(hours=1)
    )


class FanReactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FanReaction

    article = factory.SubFactory(StoryFactory)
    display_name = factory.Sequence(lambda n: f"Fan {n}")
    message = factory.Sequence(lambda n: f"Reaction message number {n}")
    fingerprint = factory.Sequence(lambda n: f"{n:064x}")
    message_digest = factory.LazyAttribute(lambda o: message_digest(o.message))
    status = FanReaction.Status.PENDING

    class Params:
        approved = factory.Trait(status=FanReaction.Status.APPROVED)


def staff_user(username: str, group: str | None = None, **extra):
    """A staff member, optionally in one of the policy's groups."""
    user = get_user_model().objects.create_user(
        username=username, password="pw-for-tests-only", is_staff=True, **extra
    )
    if group:
        if not Group.objects.filter(name=group).exists():
            # A transactional (browser) test flushed the tables; put the policy back.
            sync_groups()
        user.groups.add(Group.objects.get(name=group))
    return user


def moderator(username: str = "mod-min") -> object:
    return staff_user(username, MODERATORS)


def editor(username: str = "editor-eun") -> object:
    return staff_user(username, EDITORS)
