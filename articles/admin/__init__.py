"""The articles app's admin, one module per concept (stories, social posts, reactions)."""

from articles.admin import article, reactions, social  # noqa: F401 - registers the admins
