"""A robot cannot dodge the reaction rate limit by changing its User-Agent.

The limit counts per reader fingerprint (address + User-Agent), which is what
groups one person's posts; a robot that sends a new User-Agent with every post
used to get a fresh allowance each time and could flood the moderation queue
from one address. A second, larger allowance per address now caps that.
"""

from __future__ import annotations

import pytest
from django.test import Client

from articles.models import FanReaction
from tests.articles.reaction_factories import StoryFactory

pytestmark = pytest.mark.django_db


def send(client: Client, story, n: int, agent: str) -> int:
    token = client.get("/reactions/token/", HTTP_USER_AGENT=agent).json()["token"]
    response = client.post(
        story.get_absolute_url() + "reactions/",
        {"display_name": "Reader", "message": f"Hello number {n}"},
        headers={
            "Accept": "application/json",
            "X-CSRFToken": token,
            "User-Agent": agent,
        },
    )
    return response.status_code


def test_rotating_user_agents_from_one_address_hits_the_address_limit(settings):
    settings.REACTIONS_RATE_LIMIT = 2
    settings.REACTIONS_RATE_LIMIT_PER_ADDRESS = 6
    story = StoryFactory()
    robot = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.7")
    answers = [send(robot, story, n, f"Bot/{n}") for n in range(20)]
    assert answers.count(201) == 6
    assert set(answers[6:]) == {429}
    assert FanReaction.objects.count() == 6


def test_readers_behind_one_address_still_get_their_own_allowance(settings):
    settings.REACTIONS_RATE_LIMIT = 2
    settings.REACTIONS_RATE_LIMIT_PER_ADDRESS = 6
    story = StoryFactory()
    office = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.8")
    first = [send(office, story, n, "Firefox/1") for n in range(3)]
    second = [send(office, story, n + 10, "Chrome/2") for n in range(2)]
    assert first == [201, 201, 429]
    assert second == [201, 201]
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.9")
    assert send(other, story, 99, "Bot/1") == 201  # another address: its own count
