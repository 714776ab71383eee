"""Background tasks (django-tasks) and the retry-with-backoff wrapper they share.

The backport has no automatic retries, so :func:`retrying_task` adds them: a transient
failure (storage or database hiccup) is tried again after an exponentially growing
delay. On a backend that can defer work (django-tasks-db and its ``db_worker``) the
next attempt is enqueued with ``run_after`` and the failed attempt is recorded as
failed; on the inline ImmediateBackend (development, tests) the attempt is repeated in
place after a short sleep. Tasks always read the primary database: a replica may not
yet have the row the task was enqueued for.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from django.apps import apps
from django.db import DatabaseError, transaction
from django.db.models import Model
from django.utils import timezone
from django_tasks import TaskContext, TaskResultStatus, task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task, TaskResult

from core import pagecache, renditions
from core.db_router import primary_pin

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Indirection so tests can observe the delays instead of waiting them out.
sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff: base, base*factor, base*factor², ... capped at ``cap``."""

    base: float = 1.0
    factor: float = 2.0
    cap: float = 300.0
    # Up to this fraction is added at random, so many workers don't retry in lockstep.
    jitter: float = 0.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        if attempt < 1:
            raise ValueError("attempts are counted from 1")
        delay = min(self.cap, self.base * self.factor ** (attempt - 1))
        if self.jitter:
            delay += delay * random.uniform(0, self.jitter)
        return delay


def retrying_task(
    *,
    max_attempts: int = 4,
    backoff: Backoff | None = None,
    retry_on: tuple[type[BaseException], ...] = (OSError, DatabaseError),
    **task_options: Any,
) -> Callable[[Callable[..., T]], Task]:
    """Like ``@task()``, with up to ``max_attempts`` tries on ``retry_on`` errors."""
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    policy = backoff or Backoff(base=2.0, factor=4.0, cap=600.0, jitter=0.1)

    def decorate(func: Callable[..., T]) -> Task:
        def run(context: TaskContext, *args: Any, attempt: int = 1, **kwargs: Any) -> T:
            while True:
                try:
                    with primary_pin(True):
                        return func(*args, **kwargs)
                except retry_on as error:
                    if attempt >= max_attempts:
                        logger.error(
                            "task %s failed for good after %d attempts: %r",
                            func.__name__,
                            attempt,
                            error,
                        )
                        raise
                    delay = policy.delay(attempt)
                    current = context.task_result.task
                    if current.get_backend().supports_defer:
                        current.using(
                            run_after=timezone.now() + timedelta(seconds=delay)
                        ).enqueue(*args, attempt=attempt + 1, **kwargs)
                        logger.warning(
                            "task %s attempt %d failed (%r); attempt %d in %.1fs",
                            func.__name__,
                            attempt,
                            error,
                            attempt + 1,
                            delay,
                        )
                        raise
                    logger.warning(
                        "task %s attempt %d failed (%r); retrying inline in %.1fs",
                        func.__name__,
                        attempt,
                        error,
                        delay,
                    )
                    sleep(delay)
                    attempt += 1

        # The task is found again by module path, so it keeps the function's names;
        # no __wrapped__, or django-tasks would not see the leading ``context``.
        run.__module__ = func.__module__
        run.__name__ = func.__name__
        run.__qualname__ = func.__qualname__
        run.__doc__ = func.__doc__
        return task(takes_context=True, **task_options)(run)

    return decorate


def runs_inline(task: Task) -> bool:
    """Whether ``task`` runs in this process as it is enqueued (no worker configured)."""
    return isinstance(task.get_backend(), ImmediateBackend)


def enqueue_on_commit(
    task: Task, *args: Any, inline_at_once: bool = True, **kwargs: Any
) -> TaskResult | None:
    """Enqueue ``task`` once the current transaction commits; what ran inline, if any.

    A worker is another connection: it must not hear of a row before the row is
    committed, and a rolled-back save must enqueue nothing. Run inline (development,
    tests), local work (image renditions) runs at once on this connection,
    which already sees the row, so a page read right after the save has its result,
    even inside a test's never-committed transaction. Network work
    (``inline_at_once=False``) always waits for the commit, so a slow remote host
    never holds a transaction open.
    """
    if inline_at_once and runs_inline(task):
        return task.enqueue(*args, **kwargs)
    transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=True)
    return None


def _model_label(instance: Model) -> tuple[str, str]:
    concrete = instance._meta.concrete_model._meta  # a proxy's rows are its model's
    return concrete.app_label, concrete.model_name


def _renditions_field(instance: Model, field: str) -> str | None:
    """The JSON field listing ``field``'s renditions, if it keeps a list."""
    return getattr(instance._meta.get_field(field), "renditions_field", None)


# --- images ----------------------------------------------------------------------------


@retrying_task(
    max_attempts=4,
    backoff=Backoff(base=0.5, factor=2.0, cap=60.0),
    queue_name="media",
)
def refresh_image_renditions(
    app_label: str, model_name: str, pk: Any, field: str
) -> dict[str, Any]:
    """(Re)make the resized copies of one image field; safe to run twice.

    When the field lists its renditions (``RenditionImageField.renditions_field``),
    the list is stored there (only if the row still holds the same file), and cached
    pages are invalidated.
    """
    model = apps.get_model(app_label, model_name)
    instance = model._default_manager.filter(pk=pk).first()
    if instance is None:
        # Deleted since it was enqueued: nothing to do, and nothing to retry.
        return {"source": None, "renditions": []}
    image = getattr(instance, field)
    if not image:
        return {"source": None, "renditions": []}
    made = renditions.make_renditions(image.storage, image.name)
    entries = [rendition.as_dict() | {"source": image.name} for rendition in made]
    _record_renditions(instance, field, image.name, entries)
    return {"source": image.name, "renditions": entries}


def _record_renditions(
    instance: Model, field: str, source: str, entries: list[dict[str, Any]]
) -> None:
    listed = _renditions_field(instance, field)
    if listed is None:
        return
    current = getattr(instance, listed) or []
    entries = entries + [
        entry for entry in current if entry.get(renditions.DERIVED_FROM) == source
    ]
    if current == entries:
        return
    # update(), not save(): no version bump or save logic for a background write,
    # and a row whose image was replaced meanwhile is left to that image's task.
    changed = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, **{field: source})
        .update(**{listed: entries})
    )
    if changed:
        # A cache outage is logged there, never raised: it must not fail the task.
        pagecache.content_changed(instance)


def schedule_image_renditions(instance: Model, field: str) -> None:
    """Refresh an image's renditions: after the commit with a worker, at once inline.

    Inline, the instance's renditions field is updated too, so the caller (and
    a page rendered from it) sees the result without reloading the row.
    """
    if not getattr(instance, field):
        return
    result = enqueue_on_commit(
        refresh_image_renditions, *_model_label(instance), instance.pk, field
    )
    if result is None or result.status != TaskResultStatus.SUCCESSFUL:
        return
    listed = _renditions_field(instance, field)
    if (
        listed is not None
        and result.return_value["source"] == getattr(instance, field).name
    ):
        setattr(instance, listed, result.return_value["renditions"])
