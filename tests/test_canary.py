"""A canary kindergarten: «Берёзка» holds one row of every model a kindergarten owns, each text
carrying the marker КАНАРЕЙКА, and none of our kindergarten's people meets the marker — on any page
of the portal that is not public and needs no object, in any admin list, export, workbook or
calendar, nor in the e-mails the scheduled sending queues for them.

The marker is kept out of what the city shares (the kindergarten's name, the partner organizing an
event): those are legitimately seen by everyone. The mini-site is unpublished and the event closed,
so the public pages (which read city-wide by design, kindergarten_portal.tenancy.public_page) have
nothing of the canary to show either; they are left out of the walk all the same."""

import datetime
import io

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events.models import EventCertificate, EventPhoto, PublishedPlan, Series
from events.services import calendar_token_get
from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from kindergarten_portal.models import OutboxMessage
from portfolios.models import EntryStatus, StatusChange
from reports.models import SelfReportStatus
from reports.services import rating_build, self_report_get_or_create
from staff.academic import AcademicYear
from tests.events.factories import (
    EventFactory,
    ExternalParticipantFactory,
    OrganizationFactory,
    ParticipationFactory,
    in_days,
)
from tests.factories import (
    CategoryDecisionFactory,
    ConformityDecisionFactory,
    EmployeeFactory,
    KindergartenGroupFactory,
    LeaveFactory,
    MentorshipFactory,
    TrainingFactory,
    UserFactory,
    teacher_user,
)
from tests.portfolios.factories import EntryFactory, MiniSiteFactory, jpeg_bytes, with_file
from tests.reports.factories import current_year
from tests.test_access_matrix import MATRIX

pytestmark = pytest.mark.django_db

MARK = "КАНАРЕЙКА"
OURS = ["senior", "head", "anna", "boris"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def berezka(db):
    return OrganizationFactory(
        name="МБДОУ «Детский сад № 7 «Берёзка»»", short_name="Детский сад № 7", slug="berezka"
    )


@pytest.fixture
def canary(berezka, personas):
    """«Берёзка» with one row of every model it owns, each marked. Our kindergarten has a rating
    build of its own made before the canary's (the latest workbook is ours to download) and our
    teachers a calendar address each."""
    ours = rating_build(year=current_year(), by=personas["senior"])
    metodist2 = UserFactory(username="metodist2", role=SENIOR_EDUCATOR, role__kindergarten=berezka)
    vera = teacher_user(
        "vera",
        surname=f"{MARK}-Верина",
        name=f"{MARK}-Вера",
        email="vera@example.org",
        organization=berezka,
    )
    vera.last_name = MARK
    vera.save(update_fields=["last_name"])
    teacher = vera.employee
    group = KindergartenGroupFactory(name=f"{MARK}-группа", age_band=MARK, organization=berezka)
    teacher.groups.add(group)
    colleague = EmployeeFactory(surname=f"{MARK}-Отпускная", email="leave@example.org", organization=berezka)
    CategoryDecisionFactory(employee=teacher, order_number=f"{MARK}-К")
    ConformityDecisionFactory(employee=colleague, order_number=f"{MARK}-С")
    LeaveFactory(employee=colleague)
    # A course long past: her course training is overdue, and the scheduled sending reminds of it.
    TrainingFactory(
        employee=teacher,
        programme=f"{MARK}: программа курсов",
        provider=MARK,
        certificate_number=MARK,
        start_date=datetime.date(2019, 1, 10),
        end_date=datetime.date(2019, 1, 24),
    )
    MentorshipFactory(mentor=teacher, mentee=colleague, goals=MARK)
    series = Series.objects.create(
        theme=f"{MARK}: серия",
        academic_year=AcademicYear.current().start.year,
        lead=teacher,
        description=MARK,
        host=berezka,
    )
    # Tomorrow: the participant's reminder is due now, and the month's plan is published.
    event = EventFactory(
        title=f"{MARK}: семинар",
        host=berezka,
        organizer=berezka,
        series=series,
        start=in_days(1),
        place=MARK,
        description=MARK,
        responsible=MARK,
        audience=MARK,
    )
    ParticipationFactory(event=event, teacher=teacher, recommendation_comment=MARK, sharing_account=MARK)
    guest = ExternalParticipantFactory(
        event=event, full_name=f"{MARK} Гостья", organization=MARK, position=MARK, attended=True
    )
    # A certificate is the kindergarten's through its holder (it has no scoped manager of its own).
    EventCertificate.objects.create(
        external_participant=guest, revoked_reason=MARK, **EventCertificate.new_secrets()
    )
    EventPhoto.objects.create(event=event, image=ContentFile(jpeg_bytes(), name="canary.jpg"), caption=MARK)
    start = timezone.localtime(event.start)
    PublishedPlan.objects.create(
        year=start.year,
        month=start.month,
        organization=berezka,
        published_by=metodist2,
        published_at=timezone.now(),
    )
    entry = EntryFactory(
        teacher=teacher,
        title=f"{MARK}: грамота",
        organizer=MARK,
        status=EntryStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    with_file(entry, name="КАНАРЕЙКА.jpg")
    StatusChange.objects.create(
        entry=entry, from_status=EntryStatus.DRAFT, to_status=EntryStatus.SUBMITTED, by=vera, comment=MARK
    )
    MiniSiteFactory(teacher=teacher, slug="kanareika", about=MARK, credo=MARK, published=False)
    report = self_report_get_or_create(teacher=teacher, year=current_year())
    report.reflection = MARK
    report.review_comment = MARK
    report.status = SelfReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.save()
    theirs = rating_build(year=current_year(), by=metodist2, organization=berezka)
    assert theirs.rows.filter(teacher_name__contains=MARK).exists()
    calendar_token_get(employee=teacher)
    return {
        "berezka": berezka,
        "metodist2": metodist2,
        "vera": vera,
        "event": event,
        "our_build": ours,
        "calendars": {
            name: reverse(
                "events:personal_ics", args=[calendar_token_get(employee=personas[name].employee).token]
            )
            for name in ("anna", "boris")
        },
    }


def _text(response):
    """What the response shows: its body, a workbook's every cell."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode(errors="replace")


def _pages(event):
    """Every page of no object that is not public: the access matrix's rows of a plain address (one
    a visitor may open left out), every admin list, the canary event's month."""
    pages = {url for _name, url, expected in MATRIX if isinstance(url, str) and expected["anonymous"] != 200}
    pages |= {
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    }
    month = timezone.localtime(event.start)
    for name in ("events:month", "events:calendar", "events:month_print", "events:month_xlsx"):
        pages.add(reverse(name, kwargs={"year": month.year, "month": month.month}))
    pages.add(reverse("reports:latest_workbook"))
    return sorted(pages)


def _exports(client):
    """The admin's exports made by an action on the whole list: the staff list, the month's plan."""
    for changelist, action in (
        ("admin:staff_employee_changelist", "export_xlsx"),
        ("admin:events_event_changelist", "export_plan"),
    ):
        yield (
            f"{changelist} {action}",
            client.post(
                reverse(changelist), {"action": action, "select_across": "1", "_selected_action": ["0"]}
            ),
        )


@pytest.mark.parametrize("persona", OURS)
def test_our_people_never_meet_the_canary(client, personas, canary, persona):
    client.force_login(personas[persona])
    seen = []
    for url in _pages(canary["event"]):
        response = client.get(url, follow=True)
        if MARK in _text(response):
            seen.append(url)
    for url in canary["calendars"].values():
        if MARK in _text(client.get(url)):
            seen.append(url)
    for label, response in _exports(client):
        if MARK in _text(response):
            seen.append(label)
    assert not seen, f"{persona} sees «Берёзка»'s records on {seen}"


def test_her_own_office_does_see_the_canary(client, canary):
    """The positive control: the scan finds the marker where it belongs."""
    client.force_login(canary["metodist2"])
    assert MARK in _text(client.get(reverse("admin:staff_employee_changelist")))
    assert MARK in _text(client.get(reverse("admin:events_eventcertificate_changelist")))
    exported = dict(_exports(client))
    assert MARK in _text(exported["admin:staff_employee_changelist export_xlsx"])
    assert MARK in _text(client.get(reverse("reports:latest_workbook")))
    month = timezone.localtime(canary["event"].start)
    assert MARK in _text(client.get(reverse("events:month_xlsx", args=[month.year, month.month])))
    assert MARK in _text(client.get(reverse("portfolios:review")))
    assert MARK in _text(client.get(reverse("reports:self_reports")))
    client.force_login(canary["vera"])
    assert MARK in _text(client.get(reverse("events:my_calendar"), follow=True))


def test_the_scheduled_sending_writes_to_our_people_nothing_of_the_canary(personas, canary):
    call_command("send_notifications", stdout=io.StringIO())
    addresses = {personas[name].email for name in OURS} | {
        personas[name].employee.mail_address for name in ("anna", "boris")
    }
    ours = [
        message
        for message in OutboxMessage.objects.filter(recipient__in=addresses)
        if MARK in message.subject or MARK in message.body
    ]
    assert not ours, [(message.recipient, message.kind) for message in ours]
    # The control: the canary's own people were written to about it — her kindergarten's plan to
    # vera, the reminder of her overdue course to her and to her kindergarten's senior educator
    # (each went to every kindergarten's people once).
    theirs = OutboxMessage.objects.filter(body__contains=MARK)
    assert theirs.filter(recipient="vera@example.org", kind="events.monthly_plan").exists()
    assert theirs.filter(recipient="vera@example.org", kind="staff.attestation_reminder").exists()
    assert theirs.filter(recipient=canary["metodist2"].email, kind="staff.attestation_reminder").exists()
