"""Suite-wide test settings: fast hashing, plain static files, throwaway media."""

import shutil
import tempfile
from pathlib import Path

import pytest

_media_root = tempfile.mkdtemp(prefix="newsroom-test-media-")


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest storage needs collectstatic; tests read static files from the source.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.MEDIA_ROOT = _media_root
    # Query-count tests measure rendering; the page cache has tests of its own.
    settings.PAGE_CACHE_ENABLED = False
    # Serve static files from the finders, as in development; no collectstatic needed.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def pytest_unconfigure(config):
    shutil.rmtree(_media_root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Each test starts with an empty cache, so cached pages never leak between tests."""
    from django.core.cache import caches

    from core import pagecache, pagecache_outbox

    for cache in caches.all():
        cache.clear()
    pagecache.local_pages.clear()
    pagecache.known_keys.clear()
    pagecache.availability.reset()
    pagecache_outbox.path().unlink(missing_ok=True)
    yield
