"""Entries that write themselves from staff records and event attendance: idempotent, withdrawn when
the record no longer holds."""

import datetime

import pytest
from django.utils import timezone

from events.models import Event, EventFormat, Level, Organization, Participation, ParticipationRole
from portfolios.models import EntryKind, EntryStatus, PortfolioEntry, ReportItem
from portfolios.services import entries_sync_all
from staff.models import Category, TrainingKind
from tests.factories import CategoryDecisionFactory, EmployeeFactory, TrainingFactory


def _entries(source):
    return PortfolioEntry.objects.filter(source_type=source._meta.label_lower, source_id=source.pk)


@pytest.mark.parametrize(
    "kind,item",
    [
        (TrainingKind.COURSE, ReportItem.COURSE_TRAINING),
        (TrainingKind.RETRAINING, ReportItem.RETRAINING),
        (TrainingKind.HIGHER_EDUCATION, ReportItem.HIGHER_EDUCATION),
    ],
)
def test_training_becomes_approved_entry(db, kind, item):
    training = TrainingFactory(kind=kind, hours=72, provider="ИРО")
    entry = _entries(training).get()
    assert (entry.item, entry.status, entry.teacher_id) == (item, EntryStatus.APPROVED, training.employee_id)
    assert (entry.title, entry.date, entry.hours, entry.organizer) == (
        training.programme,
        training.end_date,
        72,
        "ИРО",
    )


def test_training_resaved_never_duplicates_and_follows_changes(db):
    training = TrainingFactory()
    for _ in range(3):
        training.save()
    assert _entries(training).count() == 1
    training.kind = TrainingKind.RETRAINING
    training.programme = "Педагогика дошкольного образования"
    training.save()
    entry = _entries(training).get()
    assert (entry.item, entry.kind, entry.title) == (
        ReportItem.RETRAINING,
        EntryKind.RETRAINING,
        "Педагогика дошкольного образования",
    )
    training.delete()
    assert not PortfolioEntry.objects.exists()


def test_attestation_decision_becomes_item_1_1(db):
    decision = CategoryDecisionFactory(category=Category.HIGHEST, order_number="77-Д")
    entry = _entries(decision).get()
    assert entry.item == ReportItem.ATTESTATION and entry.date == decision.decision_date
    assert "77-Д" in entry.title


def _event(format=EventFormat.SEMINAR):
    organizer, _ = Organization.objects.get_or_create(name="ИМЦ", defaults={"kind": "imc"})
    start = timezone.now() - datetime.timedelta(days=3)
    return Event.objects.create(
        title="Игра как форма организации детской жизни",
        format=format,
        level=Level.MUNICIPAL,
        organizer=organizer,
        start=start,
        end=start + datetime.timedelta(hours=2),
    )


@pytest.mark.parametrize(
    "role,format,item,kind",
    [
        (
            ParticipationRole.LISTENER,
            EventFormat.WEBINAR,
            ReportItem.SELF_EDUCATION,
            EntryKind.EVENT_ATTENDED,
        ),
        (ParticipationRole.SPEAKER, EventFormat.SEMINAR, ReportItem.METHODOLOGICAL, EntryKind.SPEECH),
        (
            ParticipationRole.SPEAKER,
            EventFormat.MASTER_CLASS,
            ReportItem.EXPERIENCE_SHARING,
            EntryKind.MASTER_CLASS,
        ),
        (
            ParticipationRole.OPEN_SHOW_PRESENTER,
            EventFormat.OPEN_SHOW,
            ReportItem.EXPERIENCE_SHARING,
            EntryKind.OPEN_EVENT,
        ),
        (
            ParticipationRole.ORGANIZER,
            EventFormat.SEMINAR,
            ReportItem.METHODOLOGICAL,
            EntryKind.EVENT_ORGANIZED,
        ),
    ],
)
def test_attendance_becomes_entry_by_role(db, role, format, item, kind):
    participation = Participation.objects.create(
        event=_event(format), teacher=EmployeeFactory(), role=role, status="attended"
    )
    entry = _entries(participation).get()
    assert (entry.item, entry.kind, entry.level, entry.status) == (item, kind, "municipal", "approved")
    assert entry.organizer == "ИМЦ"


def test_attendance_marked_again_or_changed_is_idempotent_and_withdraws(db):
    participation = Participation.objects.create(
        event=_event(), teacher=EmployeeFactory(), status="signed_up"
    )
    assert not _entries(participation).exists()  # signing up is not an achievement
    participation.status = "attended"
    participation.save()
    participation.save()
    assert _entries(participation).count() == 1
    participation.status = "absent"
    participation.save()
    entry = _entries(participation).get()
    assert entry.status == EntryStatus.WITHDRAWN
    participation.status = "attended"
    participation.save()
    entry = _entries(participation).get()
    assert entry.status == EntryStatus.APPROVED
    assert [c.to_status for c in entry.status_changes.all()] == ["approved", "withdrawn", "approved"]
    participation.delete()
    assert not PortfolioEntry.objects.exists()


def test_sync_all_backfills_without_duplicates(db):
    training = TrainingFactory()
    PortfolioEntry.objects.all().delete()
    assert entries_sync_all() >= 1
    entries_sync_all()
    assert _entries(training).count() == 1
