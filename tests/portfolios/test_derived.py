"""Entries that write themselves from staff records and event attendance: idempotent, withdrawn when
the record no longer holds."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from events.models import (
    SHARING_FORMATS,
    Event,
    EventFormat,
    Level,
    Participation,
    ParticipationRole,
)
from kindergarten_portal.models import Organization
from portfolios.derived import CONDUCTED_KINDS, entries_sync_all
from portfolios.models import EntryKind, EntryStatus, PortfolioEntry, ReportItem
from portfolios.services import entry_approve, entry_return
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
    # Approved and counted: kept as it was, marked, never lost with its source.
    kept = PortfolioEntry.objects.get()
    assert (kept.pk, kept.status, kept.source_deleted, kept.title) == (
        entry.pk,
        EntryStatus.APPROVED,
        True,
        "Педагогика дошкольного образования",
    )


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
        host=Organization.objects.own_or_create(),
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
            EntryKind.OPEN_SHOW,
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


# What she did, in her words, for each form of event she ran; the last three have no name of their
# own here and are an open event.
CONDUCTED = {
    EventFormat.CONSULTATION: "Проведение консультации",
    EventFormat.MASTER_CLASS: "Проведение мастер-класса",
    EventFormat.OPEN_SHOW: "Проведение открытого показа",
    EventFormat.SEMINAR: "Проведение семинара",
    EventFormat.WORKSHOP: "Проведение семинара-практикума",
    EventFormat.WEBINAR: "Проведение вебинара",
    EventFormat.ROUND_TABLE: "Проведение круглого стола",
    EventFormat.AUCTION: "Проведение педагогического аукциона",
    EventFormat.TRAINING: "Проведение тренинга",
    EventFormat.OPEN_DOOR_DAY: "Проведение дня открытых дверей",
    EventFormat.FESTIVAL: "Проведение фестиваля",
    EventFormat.CAMPAIGN: "Проведение акции",
    EventFormat.CONFERENCE: "Проведение открытого мероприятия",
    EventFormat.MUTUAL_VISIT: "Проведение открытого мероприятия",
    EventFormat.COMPETITION: "Проведение открытого мероприятия",
}


def test_every_event_form_has_its_words():
    assert set(CONDUCTED) == set(EventFormat)


@pytest.mark.parametrize("event_format,words", CONDUCTED.items())
def test_event_she_ran_is_named_by_its_form_in_item_3_2(db, event_format, words):
    participation = Participation.objects.create(
        event=_event(event_format),
        teacher=EmployeeFactory(),
        role=ParticipationRole.OPEN_SHOW_PRESENTER,
        status="attended",
    )
    entry = _entries(participation).get()
    assert entry.item == ReportItem.EXPERIENCE_SHARING  # the self-report's item stays 3.2
    with translation.override("ru"):
        assert entry.facts.split(" · ")[1] == words


def test_event_form_changed_renames_the_entry(db):
    participation = Participation.objects.create(
        event=_event(EventFormat.OPEN_SHOW),
        teacher=EmployeeFactory(),
        role=ParticipationRole.OPEN_SHOW_PRESENTER,
        status="attended",
    )
    participation.event.format = EventFormat.CONSULTATION
    participation.event.save()
    assert _entries(participation).get().kind == EntryKind.CONSULTATION


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
    participation.status = "absent"
    participation.save()
    participation.delete()
    assert not PortfolioEntry.objects.exists()  # a withdrawn entry counted nowhere goes with its source


def test_sync_all_backfills_without_duplicates(db):
    training = TrainingFactory()
    PortfolioEntry.objects.all().delete()
    assert entries_sync_all() >= 1
    entries_sync_all()
    assert _entries(training).count() == 1


def _attended(event, n=1):
    return [
        Participation.objects.create(event=event, teacher=EmployeeFactory(), status="attended")
        for _ in range(n)
    ]


def test_event_edit_updates_its_entries(db):
    event = _event()
    participation = _attended(event)[0]
    other_organizer = Organization.objects.create(name="ИРО", kind="other")
    event.title = "Игра и игрушка"
    event.level = Level.REGIONAL
    event.organizer = other_organizer
    event.start -= datetime.timedelta(days=30)
    event.end -= datetime.timedelta(days=30)
    event.save()
    entry = _entries(participation).get()
    assert (entry.title, entry.level, entry.organizer, entry.date, entry.status) == (
        "Игра и игрушка",
        Level.REGIONAL,
        "ИРО",
        timezone.localdate(event.start),
        EntryStatus.APPROVED,
    )


def test_cancelled_event_withdraws_its_entries_and_reinstating_restores_them(db):
    event = _event()
    participations = _attended(event, 2)
    event.status = "cancelled"
    event.save()
    assert {_entries(p).get().status for p in participations} == {EntryStatus.WITHDRAWN}
    event.status = "held"
    event.save()
    entry = _entries(participations[0]).get()
    assert entry.status == EntryStatus.APPROVED
    assert [c.to_status for c in entry.status_changes.all()] == ["approved", "withdrawn", "approved"]


def test_event_saved_unchanged_costs_the_same_queries_for_one_or_many_participants(
    db, django_assert_num_queries, no_page_cache
):
    event = _event()
    _attended(event)
    Participation.objects.create(event=event, teacher=EmployeeFactory(), status="signed_up")
    # Event update, its participations (with organizer), their entries.
    with django_assert_num_queries(3):
        event.save()
    _attended(event, 5)
    with django_assert_num_queries(3):
        event.save()


def test_attestation_entry_private_by_default_and_teachers_choice_survives_resync(db):
    decision = CategoryDecisionFactory(category=Category.FIRST, order_number="12-К")
    entry = _entries(decision).get()
    assert entry.is_public is False
    assert _entries(TrainingFactory()).get().is_public is True  # courses stay shown by default
    entry.is_public = True
    entry.save()
    decision.order_number = "13-К"
    decision.save()
    entry.refresh_from_db()
    assert entry.is_public is True and "13-К" in entry.title


def _sharing_entries(participation):
    return PortfolioEntry.objects.filter(source_type="events.sharing", source_id=participation.pk)


@pytest.mark.parametrize(
    ("sharing_format", "label"),
    [
        ("consultation", "Проведение консультации"),
        ("master_class", "Проведение мастер-класса"),
        ("seminar", "Проведение семинара"),
        ("workshop", "Проведение семинара-практикума"),
        ("open_show", "Проведение открытого показа"),
        ("round_table", "Проведение круглого стола"),
        ("", "Трансляция опыта коллегам"),
    ],
)
def test_shared_experience_is_named_by_the_form_she_shared_it_in(db, sharing_format, label):
    """A webinar she attended and passed on as a consultation is «проведение консультации», in 3.2."""
    participation = _attended(_event())[0]
    participation.sharing_due = participation.sharing_done = timezone.localdate()
    participation.sharing_account = "Для воспитателей средних групп"
    participation.sharing_format = sharing_format
    participation.save()
    entry = _sharing_entries(participation).get()
    assert entry.item == ReportItem.EXPERIENCE_SHARING
    with translation.override("ru"):
        assert entry.facts.split(" · ")[1] == label


def test_every_form_of_sharing_has_its_entry_kind():
    assert set(SHARING_FORMATS) <= set(CONDUCTED_KINDS)


def test_shared_experience_becomes_a_submitted_3_2_entry_the_senior_educator_verifies(senior):
    participation = _attended(_event())[0]
    assert not _sharing_entries(participation).exists()  # attending is not sharing
    done = timezone.localdate() - datetime.timedelta(days=1)
    participation.sharing_due = done
    participation.sharing_done = done
    participation.sharing_account = "Рассказала коллегам на педсовете"
    participation.save()
    participation.save()
    entry = _sharing_entries(participation).get()
    assert (entry.item, entry.kind, entry.level, entry.date, entry.status, entry.teacher_id) == (
        ReportItem.EXPERIENCE_SHARING,
        EntryKind.EXPERIENCE_SHARED,
        Level.INSTITUTIONAL,
        done,
        EntryStatus.SUBMITTED,
        participation.teacher_id,
    )
    assert entry.is_public is False and entry.approved_at is None and entry.submitted_at is not None
    with translation.override("ru"):  # what she did, whatever form the event she learned from had
        assert entry.facts.split(" · ")[1] == "Трансляция опыта коллегам"
    assert entry.title == "Sharing of experience: Игра как форма организации детской жизни"
    assert _entries(participation).get().item == ReportItem.SELF_EDUCATION  # attendance kept apart
    entry_approve(entry=entry, reviewer=senior)
    participation.event.title = "Игра и игрушка"
    participation.event.save()
    entry = _sharing_entries(participation).get()
    assert (entry.title, entry.status) == ("Sharing of experience: Игра и игрушка", EntryStatus.APPROVED)
    participation.sharing_done = None
    participation.save()
    assert _sharing_entries(participation).get().status == EntryStatus.WITHDRAWN
    attended = _entries(participation).get()
    participation.delete()
    # The withdrawn sharing entry goes; the approved attendance stays, marked.
    assert list(PortfolioEntry.objects.values_list("pk", "source_deleted")) == [(attended.pk, True)]


def test_shared_experience_entry_is_returned_like_any_other_and_never_approved_by_a_sync(senior):
    participation = _attended(_event())[0]
    done = timezone.localdate() - datetime.timedelta(days=1)
    participation.sharing_due = participation.sharing_done = done
    participation.sharing_account = "Педчас"
    participation.save()
    entry = _sharing_entries(participation).get()
    entry_return(entry=entry, reviewer=senior, comment="Нет протокола педчаса")
    participation.save()
    participation.event.title = "Другое название"
    participation.event.save()
    assert _sharing_entries(participation).get().status == EntryStatus.RETURNED
    with pytest.raises(ValidationError):  # the teacher's own statement: no one approves it but the reviewer
        entry_approve(entry=_sharing_entries(participation).get(), reviewer=senior)
    participation.sharing_done = None
    participation.save()
    participation.sharing_done = done
    participation.save()
    assert _sharing_entries(participation).get().status == EntryStatus.SUBMITTED  # asks again
