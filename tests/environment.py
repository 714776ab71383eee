"""Loaded by pytest (``-p tests.environment``) before Django reads its settings.

The suite runs production-like settings (DEBUG off), so it needs a SECRET_KEY; it
talks plain HTTP to the test client and the live server, so no HTTPS redirect.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Playwright's sync API runs an event loop in the test thread; the ORM must still work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The page cache's shared files and outbox in a directory of this run (the gunicorn
# processes a test starts inherit it, so they share the store with the test).
if "PAGE_CACHE_DIR" not in os.environ:
    _pages = tempfile.mkdtemp(prefix="newsroom-test-pages-")
    os.environ["PAGE_CACHE_DIR"] = os.path.join(_pages, "store")
    os.environ.setdefault("PAGE_CACHE_OUTBOX", os.path.join(_pages, "outbox"))
