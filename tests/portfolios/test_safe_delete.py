"""Deleting an event, a course or an attestation decision never loses the approved portfolio entries
derived from it: they stay, marked "source deleted", still counted; the admin's confirmation names them."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Participation, ParticipationRole, ParticipationStatus
from portfolios.derived import entries_kept_on_delete
from portfolios.models import EntryStatus, PortfolioEntry, ReportItem
from reports.models import SelfReportStatus
from reports.selectors.self_reports import self_report_content
from reports.services import self_report_get_or_create
from staff.academic import AcademicYear
from staff.access import staff_record
from staff.models import Training
from tests.events.factories import EventFactory
from tests.factories import CategoryDecisionFactory, TrainingFactory
from tests.reports.factories import year as academic_year

pytestmark = pytest.mark.django_db

EVENT_START = timezone.make_aware(datetime.datetime(2025, 10, 15, 10, 0))


def _attended_event(
    teacher, *, title="Игра как форма организации детской жизни", role=ParticipationRole.SPEAKER
):
    event = EventFactory(title=title, start=EVENT_START, end=EVENT_START + datetime.timedelta(hours=2))
    Participation.objects.create(event=event, teacher=teacher, role=role, status=ParticipationStatus.ATTENDED)
    return event


def test_deleting_an_event_keeps_its_approved_entries_marked_and_the_draft_report_total(anna):
    teacher = staff_record(anna)
    event = _attended_event(teacher)
    entry = PortfolioEntry.objects.get(teacher=teacher)
    assert (entry.item, entry.status) == (ReportItem.METHODOLOGICAL, EntryStatus.APPROVED)
    report = self_report_get_or_create(teacher=teacher, year=academic_year(2025))
    assert report.status == SelfReportStatus.DRAFT
    before = self_report_content(report)
    assert Decimal(before["total"]) > 0

    event.delete()

    assert not Event.objects.exists() and not Participation.objects.exists()
    kept = PortfolioEntry.objects.get()
    assert (kept.pk, kept.status, kept.source_deleted, kept.title, kept.date) == (
        entry.pk,
        EntryStatus.APPROVED,
        True,
        "Игра как форма организации детской жизни",
        datetime.date(2025, 10, 15),
    )
    assert self_report_content(report) == before


def test_deleting_a_course_or_a_decision_keeps_the_approved_entry(anna):
    teacher = staff_record(anna)
    training = TrainingFactory(employee=teacher, programme="ФГОС ДО: содержание и технологии")
    decision = CategoryDecisionFactory(employee=teacher, decision_date=datetime.date(2024, 3, 1))
    training.delete()
    decision.delete()
    assert sorted(PortfolioEntry.objects.values_list("item", "status", "source_deleted")) == [
        (ReportItem.ATTESTATION, EntryStatus.APPROVED, True),
        (ReportItem.COURSE_TRAINING, EntryStatus.APPROVED, True),
    ]


def test_kept_entry_is_no_longer_synced_and_not_editable_by_the_teacher(anna, client):
    teacher = staff_record(anna)
    event = _attended_event(teacher)
    event.delete()
    kept = PortfolioEntry.objects.get()
    assert not kept.is_editable  # still the office's record, not the teacher's own entry
    client.force_login(anna)
    page = client.get(reverse("portfolios:entry_detail", args=[kept.pk])).content.decode()
    assert 'data-test="source-deleted"' in page


def test_entries_kept_on_delete_follow_the_cascade(anna, boris):
    event = _attended_event(staff_record(anna))
    Participation.objects.create(
        event=event,
        teacher=staff_record(boris),
        role=ParticipationRole.LISTENER,
        status=ParticipationStatus.ABSENT,
    )
    other = _attended_event(staff_record(boris), title="Другое событие")
    kept = entries_kept_on_delete([event])
    assert [(e.teacher, e.title) for e in kept] == [
        (staff_record(anna), "Игра как форма организации детской жизни")
    ]
    assert entries_kept_on_delete(Event.objects.filter(pk__in=[event.pk, other.pk])) != kept
    assert len(entries_kept_on_delete(Event.objects.all())) == 2
    # Entries deleted together with their teacher are Django's own list, not "kept".
    training = TrainingFactory()
    assert len(entries_kept_on_delete([training])) == 1
    assert entries_kept_on_delete([training.employee]) == []


def test_admin_delete_confirmation_names_the_entries_kept(client, senior, anna):
    event = _attended_event(staff_record(anna))
    client.force_login(senior)
    page = client.get(reverse("admin:events_event_delete", args=[event.pk])).content.decode()
    assert 'data-test="entries-kept"' in page
    assert "Антонова" in page and "Игра как форма организации детской жизни" in page
    client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"})
    assert not Event.objects.exists()
    assert PortfolioEntry.objects.get().source_deleted


def test_admin_delete_selected_names_the_entries_kept(client, senior, anna):
    training = TrainingFactory(employee=staff_record(anna), programme="Речевое развитие дошкольников")
    client.force_login(senior)
    page = client.post(
        reverse("admin:staff_training_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [training.pk]},
    ).content.decode()
    assert 'data-test="entries-kept"' in page and "Речевое развитие дошкольников" in page
    assert Training.objects.exists()  # only the confirmation so far


def test_admin_delete_confirmation_without_derived_entries_says_nothing(client, senior):
    event = EventFactory(start=EVENT_START, end=EVENT_START + datetime.timedelta(hours=2))
    client.force_login(senior)
    page = client.get(reverse("admin:events_event_delete", args=[event.pk])).content.decode()
    assert 'data-test="entries-kept"' not in page


def test_kept_entries_still_count_for_the_year(anna):
    teacher = staff_record(anna)
    _attended_event(teacher).delete()
    year = AcademicYear(2025)
    assert PortfolioEntry.objects.approved().of_academic_year(year).filter(teacher=teacher).count() == 1
