"""Article models, split by concept; import them from ``articles.models``.

Each module lists what it exports in ``__all__``.
"""

from articles.models.article import *  # noqa: F403
from articles.models.event_notices import *  # noqa: F403
from articles.models.live_entries import *  # noqa: F403
from articles.models.reactions import *  # noqa: F403
from articles.models.reads import *  # noqa: F403
from articles.models.social import *  # noqa: F403
from articles.models.topics import *  # noqa: F403
from articles.models.working_copy import *  # noqa: F403
