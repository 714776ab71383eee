"""The admin app with ``newsroom.security.NewsroomAdminSite`` as ``admin.site``.

A module of its own because INSTALLED_APPS imports it before models can load.
"""

from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, whose default site asks staff for their second factor."""

    default_site = "newsroom.security.NewsroomAdminSite"
