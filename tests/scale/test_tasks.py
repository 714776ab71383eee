"""Background tasks: the rendition task runs, retries with backoff, and is idempotent."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks.backends.immediate import ImmediateBackend
from PIL import Image

from core import renditions, tasks
from core.tasks import Backoff, refresh_image_renditions

PHOTOS_APP = "tests.scale.photos"


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def photo_model(transactional_db, settings):
    """A table for a model with an ImageField, as the domain apps will have."""
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, PHOTOS_APP]):
        from tests.scale.photos.models import Photo

        with connection.schema_editor() as editor:
            editor.create_model(Photo)
        try:
            yield Photo
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Photo)


@pytest.fixture
def delays(monkeypatch) -> list[float]:
    """The inline backoff sleeps, recorded instead of waited out."""
    recorded: list[float] = []
    monkeypatch.setattr(tasks, "sleep", recorded.append)
    return recorded


def folder_contents(source: str) -> list[str]:
    try:
        return sorted(default_storage.listdir(renditions.rendition_dir(source))[1])
    except FileNotFoundError:
        return []


def test_tests_and_development_run_tasks_inline():
    assert isinstance(task_backends["default"], ImmediateBackend)


def test_backoff_grows_exponentially_and_is_capped():
    policy = Backoff(base=0.5, factor=2.0, cap=3.0)
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    jittery = Backoff(base=10.0, factor=1.0, cap=10.0, jitter=0.5)
    assert all(10.0 <= jittery.delay(1) <= 15.0 for _ in range(50))
    with pytest.raises(ValueError):
        policy.delay(0)


def test_rendition_task_makes_renditions_for_a_model_image(photo_model, delays):
    photo = photo_model.objects.create(caption="뉴진스 at the showcase")
    photo.image.save("newjeans.jpg", ContentFile(jpeg(1000, 600)))

    result = refresh_image_renditions.enqueue(
        "scale_photos", "photo", photo.pk, "image"
    )

    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value["source"] == photo.image.name
    widths = {(r["width"], r["format"]) for r in result.return_value["renditions"]}
    assert widths == {(w, f) for w in (320, 480, 800, 1000) for f in ("JPEG", "WEBP")}
    assert len(folder_contents(photo.image.name)) == 8
    assert delays == []


def test_rendition_task_is_idempotent(photo_model, delays):
    photo = photo_model.objects.create(caption="twice")
    photo.image.save("twice.jpg", ContentFile(jpeg(700, 400)))
    args = ("scale_photos", "photo", photo.pk, "image")

    first = refresh_image_renditions.enqueue(*args)
    files_after_first = folder_contents(photo.image.name)
    bytes_after_first = {
        name: default_storage.open(name).read()
        for name in (r["name"] for r in first.return_value["renditions"])
    }
    second = refresh_image_renditions.enqueue(*args)

    assert second.status == TaskResultStatus.SUCCESSFUL
    assert second.return_value == first.return_value
    assert folder_contents(photo.image.name) == files_after_first
    assert len(files_after_first) == 6
    assert {
        name: default_storage.open(name).read() for name in bytes_after_first
    } == bytes_after_first


def test_rendition_task_retries_a_transient_failure_with_backoff(
    photo_model, delays, monkeypatch
):
    photo = photo_model.objects.create(caption="flaky storage")
    photo.image.save("flaky.jpg", ContentFile(jpeg(700, 300)))
    real_make = renditions.make_renditions
    calls = []

    def flaky_make(storage, name):
        calls.append(name)
        if len(calls) < 3:
            raise ConnectionResetError("object store went away")
        return real_make(storage, name)

    monkeypatch.setattr(renditions, "make_renditions", flaky_make)

    result = refresh_image_renditions.enqueue(
        "scale_photos", "photo", photo.pk, "image"
    )

    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert len(calls) == 3
    assert delays == [0.5, 1.0]  # exponential: base 0.5 s, doubling
    assert len(folder_contents(photo.image.name)) == 6


def test_rendition_task_gives_up_after_its_attempts(photo_model, delays, monkeypatch):
    photo = photo_model.objects.create(caption="always failing")
    photo.image.save("down.jpg", ContentFile(jpeg(700, 300)))

    def broken(storage, name):
        raise TimeoutError("object store unreachable")

    monkeypatch.setattr(renditions, "make_renditions", broken)

    result = refresh_image_renditions.enqueue(
        "scale_photos", "photo", photo.pk, "image"
    )

    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class is TimeoutError
    assert delays == [0.5, 1.0, 2.0]  # four attempts, three waits


def test_a_broken_image_is_not_retried(photo_model, delays):
    photo = photo_model.objects.create(caption="not an image")
    photo.image.save("fake.jpg", ContentFile(b"GIF89a? no, just text"))

    result = refresh_image_renditions.enqueue(
        "scale_photos", "photo", photo.pk, "image"
    )

    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class is renditions.RenditionError
    assert delays == []


def test_a_deleted_row_or_empty_field_is_a_successful_no_op(photo_model, delays):
    empty = photo_model.objects.create(caption="no image yet")

    for pk in (empty.pk, empty.pk + 1000):
        result = refresh_image_renditions.enqueue("scale_photos", "photo", pk, "image")
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == {"source": None, "renditions": []}


DATABASE_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "media"],
    }
}


def test_with_the_database_backend_a_failure_is_reenqueued_with_run_after(
    photo_model, delays, monkeypatch
):
    """With a worker, the next attempt waits in the queue instead of in a sleep."""
    from django_tasks_db.models import DBTaskResult

    photo = photo_model.objects.create(caption="worker retry")
    photo.image.save("worker.jpg", ContentFile(jpeg(700, 300)))
    real_make = renditions.make_renditions
    calls = []

    def fails_once(storage, name):
        calls.append(name)
        if len(calls) == 1:
            raise ConnectionResetError("object store went away")
        return real_make(storage, name)

    monkeypatch.setattr(renditions, "make_renditions", fails_once)

    with override_settings(TASKS=DATABASE_TASKS):  # django-tasks resets its backends
        enqueued = refresh_image_renditions.enqueue(
            "scale_photos", "photo", photo.pk, "image"
        )
        assert DBTaskResult.objects.count() == 1

        run_worker_batch()

        first = DBTaskResult.objects.get(pk=enqueued.id)
        assert first.status == TaskResultStatus.FAILED
        retry = DBTaskResult.objects.exclude(pk=enqueued.id).get()
        assert retry.status == TaskResultStatus.READY
        assert retry.args_kwargs["kwargs"] == {"attempt": 2}
        wait = retry.run_after - timezone.now()
        assert timedelta(seconds=0) < wait <= timedelta(seconds=0.5)
        assert delays == []  # the worker never slept on it

        run_worker_batch()  # too early: the retry waits for its run_after
        retry.refresh_from_db()
        assert retry.status == TaskResultStatus.READY

        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        run_worker_batch()
        retry.refresh_from_db()
        assert retry.status == TaskResultStatus.SUCCESSFUL
        assert len(folder_contents(photo.image.name)) == 6


def run_worker_batch() -> None:
    """What `manage.py db_worker` does in production, until the queue is empty."""
    call_command(
        "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0
    )


def test_with_a_worker_scheduling_waits_for_the_commit(photo_model, delays):
    """A worker is another connection: it hears of the row only once it is committed."""
    from django_tasks_db.models import DBTaskResult

    photo = photo_model.objects.create(caption="scheduled")
    with override_settings(TASKS=DATABASE_TASKS):
        with transaction.atomic():
            photo.image.save("scheduled.jpg", ContentFile(jpeg(700, 350)))
            tasks.schedule_image_renditions(photo, "image")
            assert DBTaskResult.objects.count() == 0  # nothing before the commit
        assert DBTaskResult.objects.count() == 1
        assert folder_contents(photo.image.name) == []  # the worker makes them
        run_worker_batch()
    assert len(folder_contents(photo.image.name)) == 6


def test_with_a_worker_a_rolled_back_save_schedules_nothing(photo_model, delays):
    from django_tasks_db.models import DBTaskResult

    photo = photo_model.objects.create(caption="rolled back")
    with override_settings(TASKS=DATABASE_TASKS):
        with pytest.raises(RuntimeError), transaction.atomic():
            photo.image.save("rolled-back.jpg", ContentFile(jpeg(700, 350)))
            tasks.schedule_image_renditions(photo, "image")
            raise RuntimeError("the editor's save failed")
        assert DBTaskResult.objects.count() == 0
    assert folder_contents(photo.image.name) == []


def test_inline_scheduling_runs_at_once_inside_the_transaction(photo_model, delays):
    """No worker: this connection already sees the row, so the page has renditions
    right after the save (also inside a test's never-committed transaction)."""
    photo = photo_model.objects.create(caption="inline")
    with transaction.atomic():
        photo.image.save("inline.jpg", ContentFile(jpeg(700, 350)))
        tasks.schedule_image_renditions(photo, "image")
        assert len(folder_contents(photo.image.name)) == 6


def test_scheduling_an_empty_image_does_nothing(
    photo_model, django_capture_on_commit_callbacks
):
    photo = photo_model.objects.create(caption="no image")
    with django_capture_on_commit_callbacks() as pending:
        tasks.schedule_image_renditions(photo, "image")
    assert pending == []


def test_srcset_lists_the_renditions_a_source_gets():
    storage = default_storage
    assert renditions.srcset(storage, "photos/iu.jpg", 1000) == (
        "/media/renditions/photos/iu/w320.webp 320w, "
        "/media/renditions/photos/iu/w480.webp 480w, "
        "/media/renditions/photos/iu/w800.webp 800w, "
        "/media/renditions/photos/iu/w1000.webp 1000w"
    )
    assert renditions.srcset(storage, "photos/iu.jpg", 200, "JPEG") == (
        "/media/renditions/photos/iu/w200.jpg 200w"
    )
