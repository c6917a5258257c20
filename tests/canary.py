"""The canary kindergarten: «Берёзка» (a second kindergarten on the portal, slug `berezka`) with one
row of every model a kindergarten owns, each text carrying MARK. tests/test_canary.py scans what our
kindergarten's people see for it; tests/test_admin_across_kindergartens.py walks the admin with it.
A test module makes it in a fixture of its own: `canary_kindergarten(personas)`."""

import datetime

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from events.models import EventCertificate, EventPhoto, PublishedPlan, Series
from events.services import calendar_token_get
from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from portfolios.models import EntryStatus, StatusChange
from reports.models import SelfReportStatus
from reports.services import rating_build, self_report_get_or_create
from staff.academic import AcademicYear
from staff.access import staff_record
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

MARK = "КАНАРЕЙКА"


def canary_kindergarten(personas):
    """«Берёзка» with one row of every model it owns, each marked. Our kindergarten has a rating
    build of its own made before the canary's (the latest workbook is ours to download) and our
    teachers a calendar address each."""
    berezka = OrganizationFactory(
        name="МБДОУ «Детский сад № 7 «Берёзка»»", short_name="Детский сад № 7", slug="berezka"
    )
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
    teacher = staff_record(vera)
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
    EventCertificate.objects.create(
        external_participant=guest, issued_by=berezka, revoked_reason=MARK, **EventCertificate.new_secrets()
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
                "events:personal_ics", args=[calendar_token_get(employee=staff_record(personas[name])).token]
            )
            for name in ("anna", "boris")
        },
    }
