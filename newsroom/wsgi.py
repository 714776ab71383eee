"""WSGI entry point: ``gunicorn newsroom.wsgi:application``.

Cached pages for anonymous readers are answered by the page cache's front door
before Django's request handling starts (core.pagecache.CachedPagesWSGI), and the
read beacon each story view sends is counted by its own (articles.beacon).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()

from articles.beacon import ReadBeaconWSGI  # noqa: E402 - needs settings loaded
from core.pagecache import CachedPagesWSGI  # noqa: E402

application = ReadBeaconWSGI(CachedPagesWSGI(django_application))
