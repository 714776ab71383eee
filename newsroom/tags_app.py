"""django-taggit under the name the newsroom uses: "Tags" (its own says "Taggit").

In a module of its own: an apps.py with two configurations would leave Django
unsure which one is the newsroom's.
"""

from taggit.apps import TaggitAppConfig


class TagsConfig(TaggitAppConfig):
    verbose_name = "Tags"
