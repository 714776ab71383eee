"""Demo social posts for the IU interview story: invented fans, invented words.

The handles and texts below are made up for the demo and copy no real post. The X
ids are built from the posts' dates (X ids carry their creation time), so the cards
show the same dates with or without the network.
"""

from __future__ import annotations

import datetime

from articles.models import SocialPost
from articles.social_urls import parse_post_url

__all__ = ["DEMO_POST_URLS", "load_demo_posts"]

UTC = datetime.UTC

DEMO_POSTS = [
    {
        "url": "https://x.com/lilac_notes_fan/status/1750091641508766131",
        "author_name": "Lilac Notes",
        "author_handle": "lilac_notes_fan",
        "posted_at": datetime.datetime(2024, 1, 24, 9, 42, 17, tzinfo=UTC),
        "text": (
            "The Love wins all video is finally out and I have already watched it "
            "four times. No big speeches, just IU and V telling a whole story with "
            "their faces.\n\nThe snow scenes look beautiful on a big screen. Everyone "
            "who worked on that set in the cold deserves a long, warm holiday."
        ),
    },
    {
        "url": "https://x.com/wintersetlist/status/1762813661795173607",
        "author_name": "겨울 셋리스트",
        "author_handle": "wintersetlist",
        "posted_at": datetime.datetime(2024, 2, 28, 12, 15, 3, tzinfo=UTC),
        "text": (
            "Just finished the new interview. IU says she was running a fever during "
            "the shoot and that the director and V kept checking on her between "
            "takes. Kind people make good work, and it shows in every frame.\n\n"
            "The Winning is on repeat here until further notice."
        ),
    },
    {
        "url": "https://www.youtube.com/watch?v=JleoAppaxi0",
        "author_name": "IU",
        "author_handle": "",
        "posted_at": datetime.datetime(2024, 1, 24, 9, 0, tzinfo=UTC),
        "text": "IU 'Love wins all' official music video",
    },
]
DEMO_POST_URLS = [post["url"] for post in DEMO_POSTS]


def load_demo_posts() -> str:
    """Create or update the demo posts by (platform, id); safe to run again."""
    for data in DEMO_POSTS:
        ref = parse_post_url(data["url"])
        assert ref is not None, data["url"]
        SocialPost.objects.update_or_create(
            platform=ref.platform,
            post_id=ref.post_id,
            defaults={
                "url": ref.canonical_url,
                **{key: value for key, value in data.items() if key != "url"},
            },
        )
    return f"{len(DEMO_POSTS)} social posts"
