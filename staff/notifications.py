"""Attestation reminders by e-mail, queued in the portal's outbox (kindergarten_portal/mail/outbox.py).

`queue_due_reminders` (run by `send_notifications`) reads the dues of staff.selectors.dues_on (the
dues of each teacher's attestation state) and writes to the teacher and to every senior educator of
her kindergarten with an address: once ATTESTATION_REMINDER_DAYS ahead of the day to act (the
application date of a category granted before 01.09.2023, the conformity attestation, the next
course training), once when the day comes (or the first time the command runs after it), and then
once a month while the due stays overdue, until a new record (a decision, a course) resolves it. The
key names the person, the kind, the date and the stage (the month of lateness for an overdue one),
so each is queued once however often the command runs. A due that is "now" only because nothing is
on record (no course, no hire date) has no date to remind of and is left to the calendar and the
office's home page. The wording is in templates/emails/attestation_reminder*.txt.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from kindergarten_portal.mail.outbox import absolute_url, outbox_queue
from kindergarten_portal.models import OutboxMessage, Role

from .dates import full_years_and_months
from .selectors import ACTION_KINDS, DueKind, dues_on

ATTESTATION_REMINDER = "staff.attestation_reminder"

REMINDED_KINDS = ACTION_KINDS
AHEAD = "ahead"
DAY = "day"  # the day to act, or the first run after it within a month
OVERDUE = "overdue"  # a month or more after the day to act: once a month


def _unrecorded(due) -> bool:
    """The due is "now" only because nothing is on record: its date moves with the day it is seen."""
    employee = due.employee
    if due.kind == DueKind.COURSE:
        return employee.last_course is None
    if due.kind == DueKind.CONFORMITY:
        return (
            employee.last_conformity is None
            and employee.hire_date is None
            and not employee.category_decisions.all()
        )
    return False


def _stage(due, today: datetime.date) -> str | None:
    """The key's stage of this due on `today`: "ahead", "day", "overdue<n>" (n months late)."""
    day = due.action_date
    if day is None:
        return None
    if today < day <= today + datetime.timedelta(days=settings.ATTESTATION_REMINDER_DAYS):
        return AHEAD
    if day <= today:
        months_late = full_years_and_months(day, today)
        months_late = months_late[0] * 12 + months_late[1]
        return DAY if months_late == 0 else f"{OVERDUE}{months_late}"
    return None


def senior_educator_addresses() -> dict[int, list[tuple[int, str]]]:
    """(user id, address) of every active senior educator with an e-mail, by the kindergarten (its
    id) whose office she is in (her `Role`): a reminder about a teacher goes to her kindergarten's
    office only."""
    seniors = {}
    rows = (
        Role.objects.filter(role=SENIOR_EDUCATOR, user__groups__name=SENIOR_EDUCATOR, user__is_active=True)
        .exclude(user__email="")
        .order_by("user_id")
        .values_list("organization_id", "user_id", "user__email")
        .distinct()
    )
    for kindergarten, user_id, address in rows:
        seniors.setdefault(kindergarten, []).append((user_id, address))
    return seniors


def queue_due_reminders(*, today: datetime.date) -> int:
    """Queue the attestation reminders due on `today`; returns how many new mails were queued."""
    seniors = senior_educator_addresses()
    teacher_url = absolute_url(reverse("staff:my_page"))
    office_url = absolute_url(reverse("admin:staff_employee_attestation_calendar"))
    # Keys queued before, read once: a run every few minutes then costs no query per due.
    known = set(OutboxMessage.objects.filter(kind=ATTESTATION_REMINDER).values_list("key", flat=True))
    with translation.override(settings.LANGUAGE_CODE):  # the reasons and rules are in the mail
        dues = dues_on(on=today)
    queued = 0
    for due in dues:
        if due.kind not in REMINDED_KINDS:
            continue
        stage = _stage(due, today)
        # A date that only moves with the day (nothing on record) has no day to remind of; the
        # calendar and her page show it.
        if stage is None or _unrecorded(due):
            continue
        employee = due.employee
        key = f"attestation:{employee.pk}:{due.kind}:{due.action_date.isoformat()}:{stage}"
        # The wording: "ahead", "day" on the day itself, "overdue" after it.
        wording = stage if stage == AHEAD or due.action_date == today else OVERDUE
        context = {"due": due, "employee": employee, "stage": wording, "today": today}
        address = employee.mail_address
        letters = [(f"{key}:teacher", address, "attestation_reminder", teacher_url)]
        letters += [
            (f"{key}:senior{user_id}", senior_address, "attestation_reminder_office", office_url)
            for user_id, senior_address in seniors.get(employee.organization_id, ())
            # she is the senior educator herself: told once, as the teacher
            if senior_address.lower() != address.lower()
        ]
        for letter_key, recipient, template, url in letters:
            if letter_key in known:
                continue
            message = outbox_queue(
                kind=ATTESTATION_REMINDER,
                key=letter_key,
                recipient=recipient,
                template=template,
                context={**context, "url": url},
            )
            queued += message is not None
    return queued
