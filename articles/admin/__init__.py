"""The articles app's admin, one module per concept (stories, social posts, reactions)."""

from articles.admin import article, live, reactions, social, tags  # noqa: F401 - registers
