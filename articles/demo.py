"""Demo stories, written anew from the public facts in shared/domain.md."""

import datetime

from django.utils import timezone

from articles.models import Article

IU_INTERVIEW_BODY = """\
<p>IU has opened up about the making of "Love wins all", the pre-release single from her \
mini album <em>The Winning</em>, in a digital interview published by Marie Claire Korea on \
28 February 2024.</p>
<p>The music video, directed by Um Tae-hwa, pairs the singer with BTS member V. It was shot \
in December 2023 in sub-zero cold, and IU said she was unwell for part of the shoot.</p>
<blockquote><p>"I was running a fever on set, and the director and V kept checking on me. \
I got through those days because of them."</p></blockquote>
<p>The single arrived on 24 January 2024, ahead of the five-track EP on 20 February.</p>
"""


def load() -> str:
    """Create or update the demo stories by slug."""
    Article.objects.update_or_create(
        slug="iu-on-love-wins-all-and-working-with-v",
        defaults={
            "headline": "IU on filming 'Love wins all' with V in the freezing cold",
            "dek": "In a magazine interview, the singer credits the director and the BTS "
            "member for carrying her through a feverish music video shoot.",
            "body": IU_INTERVIEW_BODY,
            "status": Article.Status.PUBLISHED,
            "is_featured": True,
            "published_at": timezone.make_aware(datetime.datetime(2024, 2, 29, 9, 0)),
        },
    )
    return "1 story"
