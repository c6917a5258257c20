"""Builders for portfolio tests: entries in each status, real evidence files, mini-sites."""

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from portfolios.files import evidence_check
from portfolios.models import (
    MINISITE_CONSENT_VERSION,
    EntryKind,
    EntryStatus,
    MiniSite,
    PortfolioEntry,
    ReportItem,
)
from portfolios.services import evidence_add
from tests.factories import EmployeeFactory, pdf_bytes


def jpeg_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return out.getvalue()


def png_bytes(size=(40, 40), color=(0, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


PDF_BYTES = pdf_bytes()


def upload(name="diploma.jpg", content=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, jpeg_bytes() if content is None else content, content_type=content_type)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortfolioEntry

    teacher = factory.SubFactory(EmployeeFactory)
    item = ReportItem.AWARDS
    kind = EntryKind.GRATITUDE
    title = factory.Sequence(lambda n: f"Благодарственное письмо {n}")
    date = datetime.date(2025, 10, 15)
    organizer = "Управление образования"
    status = EntryStatus.DRAFT


class MiniSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MiniSite

    teacher = factory.SubFactory(EmployeeFactory)
    slug = factory.Sequence(lambda n: f"teacher-{n}")
    about = "Работаю с детьми 10 лет."
    credo = "Каждый ребёнок талантлив."


def published_site(teacher, **kwargs):
    return MiniSiteFactory(
        teacher=teacher,
        published=True,
        consent_at=timezone.now(),
        consent_text_version=MINISITE_CONSENT_VERSION,
        **kwargs,
    )


def with_file(entry, content=None, name="scan.jpg"):
    """Attach a real checked file to the entry; returns the EvidenceFile."""
    checked = evidence_check(upload(name, content if content is not None else jpeg_bytes()))
    return evidence_add(entry=entry, checked=checked)


def approved_entry(teacher, **kwargs):
    entry = EntryFactory(teacher=teacher, status=EntryStatus.APPROVED, approved_at=timezone.now(), **kwargs)
    return entry


def submitted_entry(teacher, **kwargs):
    return EntryFactory(teacher=teacher, status=EntryStatus.SUBMITTED, submitted_at=timezone.now(), **kwargs)
