"""Console logging that reads well: a refused request is one line, never a trace.

Django logs every 4xx response with the exception attached (a permission refusal
becomes a full traceback). For client errors the one line ("Forbidden (Permission
denied): /admin/…") says all there is to say; server errors keep their traceback.
"""

from __future__ import annotations

import logging


class ClientErrorsOnOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
