import io
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from kindergarten_portal.models import OutboxMessage
from portfolios.forms import MiniSiteForm
from portfolios.models import EntryStatus, MiniSite, StatusChange
from portfolios.notifications import queue_due
from portfolios.services import (
    entries_review,
    entry_approve,
    entry_return,
    entry_submit,
    entry_update,
    minisite_save,
)
from staff.access import staff_record
from tests.outbox import send_queued
from tests.portfolios.factories import EntryFactory, submitted_entry, with_file


def test_full_workflow_keeps_every_status_change(anna, senior):
    entry = EntryFactory(teacher=staff_record(anna))
    with_file(entry)
    entry = entry_submit(entry=entry, by=anna)
    assert entry.status == EntryStatus.SUBMITTED and entry.submitted_at
    entry = entry_return(entry=entry, reviewer=senior, comment="Нет подписи на скане")
    assert entry.status == EntryStatus.RETURNED and entry.reviewer_comment == "Нет подписи на скане"
    data = {f: getattr(entry, f) for f in ("item", "kind", "date", "level", "result", "organizer", "hours")}
    data |= {"title": "Исправлено", "pupils_count": None, "competition": "", "is_public": True}
    entry_update(entry=entry, data=data, by=anna)
    entry = entry_submit(entry=entry, by=anna)
    entry = entry_approve(entry=entry, reviewer=senior)
    entry.refresh_from_db()
    assert (entry.status, entry.approved_by, entry.title) == (EntryStatus.APPROVED, senior, "Исправлено")
    assert entry.approved_at is not None
    history = [(c.from_status, c.to_status, c.by) for c in entry.status_changes.all()]
    assert history == [
        ("draft", "submitted", anna),
        ("submitted", "returned", senior),
        ("returned", "submitted", anna),
        ("submitted", "approved", senior),
    ]
    assert entry.status_changes.get(to_status="returned").comment == "Нет подписи на скане"


@pytest.mark.parametrize(
    "status,action",
    [
        ("draft", "approve"),
        ("draft", "return"),
        ("approved", "submit"),
        ("approved", "return"),
        ("submitted", "submit"),
        ("returned", "approve"),
    ],
)
def test_disallowed_status_changes_refused(anna, senior, status, action):
    entry = EntryFactory(teacher=staff_record(anna), status=status, approved_at="2025-10-01T10:00Z")
    with_file(entry)
    with pytest.raises(ValidationError, match="cannot become"):
        if action == "approve":
            entry_approve(entry=entry, reviewer=senior)
        elif action == "return":
            entry_return(entry=entry, reviewer=senior, comment="нет")
        else:
            entry_submit(entry=entry, by=anna)
    entry.refresh_from_db()
    assert entry.status == status
    assert not StatusChange.objects.filter(entry=entry).exists()


def test_only_owner_submits_and_only_senior_reviews(anna, boris, head, senior):
    entry = EntryFactory(teacher=staff_record(anna))
    with_file(entry)
    with pytest.raises(PermissionDenied):
        entry_submit(entry=entry, by=boris)
    entry_submit(entry=entry, by=anna)
    for user in (anna, head):
        with pytest.raises(PermissionDenied):
            entry_approve(entry=entry, reviewer=user)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_submit_needs_evidence(anna):
    entry = EntryFactory(teacher=staff_record(anna))
    with pytest.raises(ValidationError, match="at least one evidence file"):
        entry_submit(entry=entry, by=anna)


def test_return_needs_comment(anna, senior):
    entry = submitted_entry(staff_record(anna))
    with pytest.raises(ValidationError, match="should correct"):
        entry_return(entry=entry, reviewer=senior, comment="  ")


def test_approved_entry_locked_for_teacher(anna, senior):
    entry = submitted_entry(staff_record(anna))
    entry_approve(entry=entry, reviewer=senior)
    data = {"title": "Другое"}
    with pytest.raises(ValidationError, match="no longer be changed"):
        entry_update(entry=entry, data=data, by=anna)


def test_bulk_review_decides_each_and_reports_refused(anna, boris, senior):
    waiting = [submitted_entry(staff_record(anna)), submitted_entry(staff_record(boris))]
    draft = EntryFactory(teacher=staff_record(anna))
    done, refused = entries_review(entries=[*waiting, draft], reviewer=senior, approve=True)
    assert done == 2 and refused == [draft]
    assert {e.status for e in waiting[0].__class__.objects.filter(pk__in=[w.pk for w in waiting])} == {
        EntryStatus.APPROVED
    }


def test_queue_due_mails_each_decision_once(anna, senior):
    staff_record(anna).email = "anna@sad.example"
    staff_record(anna).save()
    approved = submitted_entry(staff_record(anna), title="Диплом победителя")
    returned = submitted_entry(staff_record(anna), title="Сертификат")
    entry_approve(entry=approved, reviewer=senior)
    entry_return(entry=returned, reviewer=senior, comment="Скан нечитаем")
    assert not OutboxMessage.objects.exists()  # nothing is queued inline

    assert queue_due() == 2
    assert queue_due() == 0
    assert send_queued() == 2
    assert len(mail.outbox) == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert "Диплом победителя" in subjects[0] or "Диплом победителя" in subjects[1]
    returned_mail = next(m for m in mail.outbox if "Сертификат" in m.subject)
    assert "Скан нечитаем" in returned_mail.body and returned_mail.to == ["anna@sad.example"]
    assert not StatusChange.objects.filter(notify=True, notified_at__isnull=True).exists()
    # A submission is not mailed to anyone.
    assert not StatusChange.objects.filter(notify=True, to_status=EntryStatus.SUBMITTED).exists()


def test_send_notifications_command_also_sends_portfolio_decisions_once(anna, senior):
    from django.core.management import call_command

    staff_record(anna).email = "anna@sad.example"
    staff_record(anna).save()
    entry_approve(entry=submitted_entry(staff_record(anna), title="Грамота ГМО"), reviewer=senior)
    for _run in range(2):
        call_command("send_notifications", stdout=io.StringIO())
        call_command("send_mail_queue", stdout=io.StringIO())
    assert [m.subject for m in mail.outbox if "Грамота ГМО" in m.subject] != []
    assert len([m for m in mail.outbox if "Грамота ГМО" in m.subject]) == 1


# ---------------------------------------------------------------- mini-site

PARTS = {"show_photo": True, "show_about": True, "show_group": True, "show_category": True}
SITE = {
    "slug": "antonova",
    "about": "О себе",
    "credo": "",
    **PARTS,
    "show_achievements": True,
    "published": True,
}


def test_minisite_publishing_records_consent_with_its_version_and_time(anna):
    with pytest.raises(ValidationError) as refused:
        minisite_save(teacher=staff_record(anna), by=anna, data=SITE, consent=False)
    assert "consent" in refused.value.message_dict and not MiniSite.objects.exists()
    given = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    site = minisite_save(teacher=staff_record(anna), by=anna, data=SITE, consent=True, now=given)
    assert (site.published, site.consent_at, site.consent_text_version) == (True, given, "2")
    later = datetime(2026, 11, 5, 9, 30, tzinfo=UTC)
    site = minisite_save(
        teacher=staff_record(anna), by=anna, data={**SITE, "about": "Иначе"}, consent=True, now=later
    )
    site.refresh_from_db()
    assert (site.about, site.consent_at) == ("Иначе", given)  # same parts: the consent stands


def test_minisite_changed_parts_record_the_consent_again(anna):
    given = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    minisite_save(teacher=staff_record(anna), by=anna, data=SITE, consent=True, now=given)
    later = datetime(2026, 11, 5, 9, 30, tzinfo=UTC)
    data = {**SITE, "show_achievements": False}
    site = minisite_save(teacher=staff_record(anna), by=anna, data=data, consent=True, now=later)
    assert (site.published, site.consent_at, site.show_achievements) == (True, later, False)


def test_minisite_withdrawn_consent_unpublishes_and_publishing_asks_again(anna):
    minisite_save(teacher=staff_record(anna), by=anna, data=SITE, consent=True)
    site = minisite_save(teacher=staff_record(anna), by=anna, data=SITE, consent=False)
    site.refresh_from_db()
    assert (site.published, site.consent_at, site.consent_text_version) == (False, None, "")
    with pytest.raises(ValidationError) as refused:
        minisite_save(teacher=staff_record(anna), by=anna, data=SITE, consent=False)
    assert "consent" in refused.value.message_dict


def test_minisite_unpublished_clears_the_consent(anna):
    minisite_save(teacher=staff_record(anna), by=anna, data=SITE, consent=True)
    site = minisite_save(teacher=staff_record(anna), by=anna, data={**SITE, "published": False}, consent=True)
    assert (site.published, site.consent_at) == (False, None)


def test_minisite_form_validates_consent_and_leaves_the_site_alone(anna):
    site = MiniSite(teacher=staff_record(anna))
    form = MiniSiteForm({**SITE, "show_photo": "on", "published": "on"}, instance=site)
    assert not form.is_valid() and "consent" in form.errors
    form = MiniSiteForm({**SITE, "show_photo": "on", "published": "on", "consent": "on"}, instance=site)
    assert form.is_valid(), form.errors
    # Forms validate, services act: the consent time is set by minisite_save, not by the form.
    assert site.consent_at is None and not site.published and site.pk is None


def test_minisite_of_someone_else_is_refused(anna, boris):
    with pytest.raises(PermissionDenied):
        minisite_save(teacher=staff_record(anna), by=boris, data=SITE, consent=True)


def test_minisite_form_shows_the_site_as_it_is(anna):
    site = minisite_save(teacher=staff_record(anna), by=anna, data=SITE, consent=True)
    form = MiniSiteForm(instance=site)
    assert (form["published"].value(), form["consent"].value(), form["slug"].value()) == (
        True,
        True,
        "antonova",
    )
