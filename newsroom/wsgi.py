"""WSGI entry point: ``gunicorn newsroom.wsgi:application``.

Cached pages for anonymous readers are answered by the page cache's front door
before Django's request handling starts (core.pagecache.CachedPagesWSGI).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()

from core.pagecache import CachedPagesWSGI  # noqa: E402 - needs settings loaded

application = CachedPagesWSGI(django_application)
