"""Files leave storage with their rows (after the deletion commits; a file another row names stays),
and `cleanup_media` lists what no row names, deleting only when asked."""

import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction

from events.models import EventPhoto
from portfolios.models import EvidenceFile
from staff.models import Employee, Training
from tests.events.factories import EventFactory
from tests.factories import EmployeeFactory, TrainingFactory, pdf_bytes
from tests.portfolios.factories import EntryFactory, png_bytes, with_file

pytestmark = pytest.mark.django_db


def _path(settings, fieldfile):
    return Path(settings.MEDIA_ROOT) / fieldfile.name


def test_deleted_entry_takes_its_files_and_thumbnails(settings, django_capture_on_commit_callbacks):
    entry = EntryFactory()
    scan = with_file(entry, png_bytes(), name="pupils.png")
    paths = [_path(settings, scan.file), _path(settings, scan.thumbnail)]
    assert all(p.exists() for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        entry.delete()
    assert not EvidenceFile.objects.exists()
    assert not any(p.exists() for p in paths)


def test_deleted_staff_record_takes_its_photo_scans_and_evidence(
    settings, django_capture_on_commit_callbacks
):
    employee = EmployeeFactory()
    employee.photo.save("photo.jpg", ContentFile(b"jpeg"), save=True)
    training = TrainingFactory(employee=employee)
    training.scan.save("scan.pdf", ContentFile(pdf_bytes()), save=True)
    evidence = with_file(EntryFactory(teacher=employee))
    paths = [_path(settings, f) for f in (employee.photo, training.scan, evidence.file, evidence.thumbnail)]
    assert all(p.exists() for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        Employee.objects.filter(pk=employee.pk).delete()  # her trainings and entries cascade
    assert not Training.objects.exists() and not EvidenceFile.objects.exists()
    assert not any(p.exists() for p in paths)


def test_deleted_event_takes_its_photos(settings, django_capture_on_commit_callbacks):
    event = EventFactory()
    photo = EventPhoto(event=event)
    photo.image.save("p.jpg", ContentFile(b"jpeg"), save=True)
    path = _path(settings, photo.image)
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert not path.exists()


def test_files_stay_when_the_deletion_is_rolled_back(settings, django_capture_on_commit_callbacks):
    employee = EmployeeFactory()
    employee.photo.save("photo.jpg", ContentFile(b"jpeg"), save=True)
    pk, path = employee.pk, _path(settings, employee.photo)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            employee.delete()
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert Employee.objects.filter(pk=pk).exists() and path.exists()


def test_file_named_by_another_row_is_kept(settings, django_capture_on_commit_callbacks):
    first = TrainingFactory()
    first.scan.save("scan.pdf", ContentFile(pdf_bytes()), save=True)
    second = TrainingFactory(employee=first.employee)
    Training.objects.filter(pk=second.pk).update(scan=first.scan.name)
    path = _path(settings, first.scan)
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        Training.objects.get(pk=second.pk).delete()
    assert not path.exists()


def _written_ago(path, seconds):
    """The file last written `seconds` ago by the process's clock (the file system stamps the
    machine's, which a test session set to another day does not share)."""
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


def test_cleanup_media_lists_orphans_and_deletes_only_when_asked(settings):
    employee = EmployeeFactory()
    employee.photo.save("photo.jpg", ContentFile(b"jpeg"), save=True)
    kept = _path(settings, employee.photo)
    orphan = Path(settings.MEDIA_ROOT) / "portfolios" / "evidence" / "7" / "left-behind.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF-1.4 orphan")
    fresh = Path(settings.MEDIA_ROOT) / "staff" / "photos" / "uploading.jpg"
    fresh.write_bytes(b"jpeg")
    for path in (kept, orphan):
        _written_ago(path, 2 * 3600)
    _written_ago(fresh, 0)

    out = io.StringIO()
    call_command("cleanup_media", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "portfolios/evidence/7/left-behind.pdf\t15"
    assert len(lines) == 2 and lines[1].startswith("1 ")  # the summary
    assert orphan.exists() and kept.exists() and fresh.exists()  # a dry run deletes nothing

    call_command("cleanup_media", "--delete", stdout=io.StringIO())
    assert not orphan.exists()
    assert kept.exists()  # named by a row
    assert fresh.exists()  # too recent: perhaps an upload whose row is being saved

    out = io.StringIO()
    call_command("cleanup_media", "--delete", "--min-age-minutes=0", stdout=out)
    assert not fresh.exists() and kept.exists()
    assert out.getvalue().splitlines()[0] == "staff/photos/uploading.jpg\t4"


def test_cleanup_media_with_nothing_uploaded(settings):
    out = io.StringIO()
    call_command("cleanup_media", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("0 ")
