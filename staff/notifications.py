"""Attestation reminders by e-mail, queued in the portal's outbox (kindergarten_portal/outbox.py).

`queue_due_reminders` (run by `send_notifications`) reads the dues of staff.selectors.dues_on and
writes to the teacher and to every senior educator with an address twice per due date: once
ATTESTATION_REMINDER_DAYS ahead of the day to act (the application date of a category granted
before 01.09.2023, the conformity attestation, the next course training) and once on that day.
The key names the person, the kind, the date and the stage, so each is queued once however often
the command runs. A due that is "now" only because nothing is on record (no course, no hire date)
has no date to remind of and is left to the calendar. The wording is in templates/emails/attestation_reminder*.txt.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from kindergarten_portal.models import OutboxMessage
from kindergarten_portal.outbox import absolute_url, outbox_queue
from kindergarten_portal.roles import SENIOR_EDUCATOR

from .selectors import DueKind, dues_on

ATTESTATION_REMINDER = "staff.attestation_reminder"

REMINDED_KINDS = (DueKind.CATEGORY_ENDS, DueKind.CONFORMITY, DueKind.COURSE)
AHEAD = "ahead"
DAY = "day"
# A cron that did not run on the day (a server down over a weekend) still sends the day's mail
# within this many days; older dues are not mailed, the attestation calendar shows them.
DAY_CATCH_UP_DAYS = 7


def _unrecorded(due) -> bool:
    """The due is "now" only because nothing is on record: its date moves with the day it is seen."""
    employee = due.employee
    if due.kind == DueKind.COURSE:
        return employee.last_course is None
    if due.kind == DueKind.CONFORMITY:
        return employee.last_conformity is None and employee.hire_date is None
    return False


def _stage(due, today: datetime.date) -> str | None:
    day = due.action_date
    if day is None:
        return None
    if today < day <= today + datetime.timedelta(days=settings.ATTESTATION_REMINDER_DAYS):
        return AHEAD
    if today - datetime.timedelta(days=DAY_CATCH_UP_DAYS) < day <= today:
        return DAY
    return None


def senior_educator_addresses() -> list[tuple[int, str]]:
    """(user id, address) of every active user in the senior-educator role with an e-mail."""
    return list(
        get_user_model()
        .objects.filter(groups__name=SENIOR_EDUCATOR, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "email")
        .distinct()
    )


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
        context = {"due": due, "employee": employee, "stage": stage, "today": today}
        address = employee.mail_address
        letters = [(f"{key}:teacher", address, "attestation_reminder", teacher_url)]
        letters += [
            (f"{key}:senior{user_id}", senior_address, "attestation_reminder_office", office_url)
            for user_id, senior_address in seniors
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
