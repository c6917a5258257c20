"""Each role's home page: what needs her, each with its link, in a constant number of queries."""

import datetime
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from events.models import EventStatus, ParticipationStatus, RecommendationReason
from portfolios.models import EntryStatus
from portfolios.services import entry_return, entry_submit
from reports.models import SelfReportStatus
from reports.selectors.self_reports import self_report_deadline
from reports.services import rating_build, self_report_get_or_create
from staff import academic
from staff.access import staff_record
from staff.selectors import office_dues
from tests.events.factories import EventFactory, ParticipationFactory, in_days
from tests.factories import CategoryDecisionFactory, EmployeeFactory, TrainingFactory
from tests.portfolios.factories import EntryFactory, submitted_entry, with_file
from tests.reports.factories import current_year

pytestmark = pytest.mark.django_db

D = datetime.date


def _today():
    return timezone.localdate()


def _course(employee, end_date):
    return TrainingFactory(
        employee=employee, start_date=end_date - datetime.timedelta(days=14), end_date=end_date
    )


# ---------------------------------------------------------------- the self-report deadline


@pytest.mark.parametrize(
    "setting,start_year,expected",
    [
        ("05-31", 2025, datetime.date(2026, 5, 31)),
        ("09-15", 2025, datetime.date(2025, 9, 15)),
        ("12-20", 2025, datetime.date(2025, 12, 20)),
        ("02-29", 2026, datetime.date(2027, 2, 28)),
        ("02-29", 2027, datetime.date(2028, 2, 29)),
    ],
)
def test_self_report_deadline_falls_within_the_academic_year(settings, setting, start_year, expected):
    settings.SELF_REPORT_DEADLINE = setting
    assert self_report_deadline(academic.AcademicYear(start_year)) == expected


@pytest.mark.parametrize("value", ["31-05", "5/31", "02-30", "may"])
def test_bad_self_report_deadline_fails_loudly(value):
    from kindergarten_portal.settings import env_month_day

    os.environ["PORTAL_TEST_DAY"] = value
    try:
        with pytest.raises(ImproperlyConfigured):
            env_month_day("PORTAL_TEST_DAY", "05-31")
    finally:
        del os.environ["PORTAL_TEST_DAY"]


def test_self_report_deadline_setting_reads_month_and_day():
    from kindergarten_portal.settings import env_month_day

    os.environ["PORTAL_TEST_DAY"] = "6-1"
    try:
        assert env_month_day("PORTAL_TEST_DAY", "05-31") == "06-01"
    finally:
        del os.environ["PORTAL_TEST_DAY"]
    assert env_month_day("PORTAL_TEST_DAY", "05-31") == "05-31"


# ---------------------------------------------------------------- the teacher's home


def _returned_entry(teacher, senior, title, comment):
    entry = EntryFactory(teacher=teacher, title=title, date=_today())
    with_file(entry)
    entry_submit(entry=entry, by=teacher.user)
    return entry_return(entry=entry, reviewer=senior, comment=comment)


def _teacher_day(anna, boris, senior, n):
    """n of each thing that needs Anna: returned entries, follow-ups, recommendations, waiting places."""
    teacher = staff_record(anna)
    for i in range(n):
        _returned_entry(teacher, senior, f"Диплом {i}", f"Нет печати на скане {i}")
        ParticipationFactory(
            teacher=teacher,
            event=EventFactory(title=f"Прошедший {i}", start=in_days(-20 - i), status=EventStatus.HELD),
            status=ParticipationStatus.ATTENDED,
            sharing_due=_today() + datetime.timedelta(days=5 + i),
        )
        ParticipationFactory(
            teacher=teacher,
            event=EventFactory(title=f"Рекомендованный {i}", start=in_days(12 + i)),
            status=ParticipationStatus.RECOMMENDED,
            recommended_by=senior,
            recommended_at=timezone.now() - datetime.timedelta(days=i),
            recommendation_reason=RecommendationReason.OPEN_EVENT,
        )
        full = EventFactory(title=f"Полный {i}", start=in_days(15 + i), capacity=1)
        ParticipationFactory(event=full)
        ParticipationFactory(
            teacher=staff_record(boris),
            event=full,
            status=ParticipationStatus.WAITING,
            status_changed_at=in_days(-3),
        )
        ParticipationFactory(
            teacher=teacher, event=full, status=ParticipationStatus.WAITING, status_changed_at=in_days(-2)
        )


def test_teacher_home_lists_what_needs_her_with_links(client, anna, boris, senior):
    _teacher_day(anna, boris, senior, 1)
    older = _returned_entry(staff_record(anna), senior, "Старый диплом", "Не та дата")
    # returned later: shown first
    newer = _returned_entry(staff_record(anna), senior, "Новый диплом", "Нет подписи")
    client.force_login(anna)
    response = client.get(reverse("home"))
    agenda = response.context["agenda"]
    html = response.content.decode()
    assert [e.title for e in agenda["returned"]][:2] == ["Новый диплом", "Старый диплом"]
    assert "Нет подписи" in html and reverse("portfolios:entry_edit", args=[newer.pk]) in html
    assert reverse("portfolios:entry_detail", args=[older.pk]) in html
    sharing = agenda["sharing"][0]
    assert sharing.event.title == "Прошедший 0"
    assert reverse("events:sharing", args=[sharing.pk]) in html
    recommendation = agenda["recommended"][0]
    assert recommendation.event.title == "Рекомендованный 0"
    assert recommendation.get_recommendation_reason_display() in html
    waiting = agenda["upcoming"][0]
    assert (waiting.event.title, waiting.waiting_position) == ("Полный 0", 2)
    assert reverse("events:detail", args=[waiting.event.pk]) in html


def test_teacher_home_shows_the_self_report_state_and_deadline(client, anna, settings):
    settings.SELF_REPORT_DEADLINE = "05-31"
    year = academic.AcademicYear.current()
    client.force_login(anna)
    response = client.get(reverse("home"))
    assert response.context["agenda"]["self_report"] is None
    deadline = datetime.date(year.start_year + 1, 5, 31)
    assert response.context["agenda"]["self_report_deadline"] == deadline
    assert deadline.strftime("%d.%m.%Y") in response.content.decode()
    report = self_report_get_or_create(teacher=staff_record(anna), year=current_year())
    report.status = SelfReportStatus.RETURNED
    report.review_comment = "Добавьте выступления"
    report.save()
    response = client.get(reverse("home"))
    assert response.context["agenda"]["self_report"] == report
    assert "Добавьте выступления" in response.content.decode()


def test_teacher_home_says_her_dues_from_her_record(client, anna):
    teacher = staff_record(anna)
    decision = CategoryDecisionFactory(
        employee=teacher,
        decision_date=_today() - datetime.timedelta(days=400),
        valid_until=_today() + datetime.timedelta(days=100),
    )
    _course(teacher, _today() - datetime.timedelta(days=30))
    client.force_login(anna)
    response = client.get(reverse("home"))
    state = response.context["agenda"]["attestation"]
    assert state.category_due.date == decision.valid_until
    html = response.content.decode()
    assert decision.valid_until.strftime("%d.%m.%Y") in html
    assert state.course.date.strftime("%d.%m.%Y") in html


def test_teacher_with_nothing_to_do_is_told_so(client, anna):
    client.force_login(anna)
    response = client.get(reverse("home"))
    assert 'id="nothing-to-do"' in response.content.decode()


def test_dismissed_teacher_gets_no_agenda(client, anna):
    staff_record(anna).dismissal_date = _today() - datetime.timedelta(days=1)
    staff_record(anna).save()
    client.force_login(anna)
    assert "agenda" not in client.get(reverse("home")).context


def test_teacher_home_query_count_is_constant(client, anna, boris, senior, django_assert_num_queries):
    client.force_login(anna)
    _teacher_day(anna, boris, senior, 1)
    self_report_get_or_create(teacher=staff_record(anna), year=current_year())
    client.get(reverse("home"))
    # 10: session; user with her roles and staff record; her category decisions, conformity
    # decisions, leaves and courses (her attestation state); her mentors; her participations with
    # their events; returned entries; self-report.
    with django_assert_num_queries(10) as one:
        client.get(reverse("home"))
    _teacher_day(anna, boris, senior, 5)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("home"))
    agenda = response.context["agenda"]
    assert [len(agenda[key]) for key in ("returned", "sharing")] == [6, 6]
    # The nearest five events and recommendations, with how many there are and the way to all of them.
    assert [len(agenda[key]) for key in ("recommended", "upcoming")] == [5, 5]
    assert (agenda["recommended_count"], agenda["upcoming_count"]) == (6, 6)
    html = response.content.decode()
    assert html.count("Показать все (6) в разделе «Мои мероприятия»") == 2
    assert 'href="/events/my/#upcoming"' in html and 'href="/events/my/#recommended"' in html


# ---------------------------------------------------------------- the senior educator's home


def _office_day(anna, senior, n):
    for i in range(n):
        submitted_entry(staff_record(anna), title=f"На проверке {i}")
        past = EventFactory(title=f"Без отметок {i}", start=in_days(-3 - i))
        ParticipationFactory(event=past, teacher=EmployeeFactory())
        EmployeeFactory(surname=f"Безкурсова{i}")  # no course on record: due now


def test_senior_home_counts_reviews_and_lists_unmarked_attendance(client, anna, boris, senior):
    _office_day(anna, senior, 2)
    marked = EventFactory(title="Отмечено", start=in_days(-4), status=EventStatus.HELD)
    ParticipationFactory(event=marked, teacher=staff_record(boris), status=ParticipationStatus.ATTENDED)
    EventFactory(title="Пусто", start=in_days(-4), status=EventStatus.HELD)
    ParticipationFactory(teacher=staff_record(boris), event=EventFactory(title="Впереди"))  # not yet held
    report = self_report_get_or_create(teacher=staff_record(anna), year=current_year())
    report.status = SelfReportStatus.SUBMITTED
    report.save()
    client.force_login(senior)
    response = client.get(reverse("home"))
    office = response.context["office"]
    assert office["entries_to_review"] == 2
    assert [(year.start_year, n) for year, n in office["reports_to_review"]] == [
        (academic.AcademicYear.current().start_year, 1)
    ]
    assert [e.title for e in office["attendance_unmarked"]] == ["Без отметок 0", "Без отметок 1"]
    html = response.content.decode()
    assert reverse("portfolios:review") in html
    assert reverse("admin:events_event_change", args=[office["attendance_unmarked"][0].pk]) in html
    assert "agenda" not in response.context  # no staff record: no teacher's agenda


def test_office_dues_within_three_months_come_from_the_attestation_states(anna, boris):
    today = D(2026, 12, 7)
    soon = CategoryDecisionFactory(
        employee=staff_record(anna), decision_date=D(2022, 5, 1), valid_until=D(2027, 4, 30)
    )
    CategoryDecisionFactory(employee=staff_record(boris), decision_date=D(2024, 5, 1))  # no end date
    _course(staff_record(anna), D(2026, 6, 1))
    # Boris's course is three years old on 20.01.2027: due within the three months.
    _course(staff_record(boris), D(2024, 1, 20))
    gone = EmployeeFactory(dismissal_date=D(2026, 12, 1))
    late = EmployeeFactory(surname="Просрочена", hire_date=D(2010, 9, 1))
    CategoryDecisionFactory(employee=late, decision_date=D(2021, 3, 15))  # ended 15.03.2026
    _course(late, D(2026, 1, 1))
    dues = office_dues(on=today, months=3, shown=10)
    rows = [(d.employee.pk, d.kind, d.action_date, d.overdue) for d in dues.rows]
    assert rows == [
        (late.pk, "conformity", D(2026, 3, 15), True),  # overdue first
        (staff_record(boris).pk, "course", D(2027, 1, 20), False),
        (staff_record(anna).pk, "category_ends", D(2027, 1, 30), False),  # the day to apply
    ]
    assert (dues.overdue_total, dues.total, dues.more) == (1, 3, 0)
    assert all(pk != gone.pk for pk, *_rest in rows)
    assert soon.valid_until == D(2027, 4, 30)
    assert office_dues(on=today, months=3, shown=1).more == 2


def test_senior_home_query_count_is_constant(client, anna, senior, django_assert_num_queries):
    client.force_login(senior)
    _office_day(anna, senior, 1)
    client.get(reverse("home"))
    # session, user, reviews, reports, attendance (5); the office's dues: the keys of every due (5)
    # and the texts of those shown (5)
    with django_assert_num_queries(15) as one:
        client.get(reverse("home"))
    _office_day(anna, senior, 6)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("home"))
    assert len(response.context["office"]["attendance_unmarked"]) == 7


# ---------------------------------------------------------------- the head's home


def test_head_home_shows_the_years_figures_and_the_latest_workbook(client, head, senior, anna, boris):
    _course(staff_record(anna), _today() - datetime.timedelta(days=10))
    client.force_login(head)
    response = client.get(reverse("home"))
    assert response.context["figures"].staff_total == 2
    assert response.context["figures"].covered == 1
    assert response.context["build"] is None
    assert 'id="latest-workbook"' not in response.content.decode()
    build = rating_build(year=current_year(), by=senior)
    response = client.get(reverse("home"))
    assert response.context["build"] == build
    assert reverse("reports:latest_workbook") in response.content.decode()
    assert "office" not in response.context and "agenda" not in response.context


def test_head_home_query_count_is_constant(client, head, senior, django_assert_num_queries):
    client.force_login(head)
    EmployeeFactory()
    rating_build(year=current_year(), by=senior)
    client.get(reverse("home"))
    # 5, with the attestation dues counted from their keys (5 instead of 1)
    with django_assert_num_queries(9) as one:
        client.get(reverse("home"))
    for _ in range(8):
        _course(EmployeeFactory(), _today() - datetime.timedelta(days=30))
    rating_build(year=current_year(), by=senior)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("home"))
    assert response.context["figures"].staff_total == 9


def test_entries_awaiting_review_ignore_other_statuses(client, anna, senior):
    EntryFactory(teacher=staff_record(anna), status=EntryStatus.DRAFT)
    client.force_login(senior)
    assert client.get(reverse("home")).context["office"]["entries_to_review"] == 0


def test_a_recommended_event_she_waits_for_shows_her_place_on_home(client, anna, boris, senior):
    full = EventFactory(title="Рекомендован и полон", capacity=1)
    ParticipationFactory(event=full)
    ParticipationFactory(
        teacher=staff_record(boris),
        event=full,
        status=ParticipationStatus.WAITING,
        status_changed_at=in_days(-3),
    )
    ParticipationFactory(
        teacher=staff_record(anna),
        event=full,
        status=ParticipationStatus.WAITING,
        status_changed_at=in_days(-2),
        recommended_by=senior,
        recommended_at=timezone.now(),
        recommendation_reason=RecommendationReason.OPEN_EVENT,
    )
    client.force_login(anna)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert [p.waiting_position for p in response.context["agenda"]["recommended"]] == [2]
    section = response.content.decode().split('id="home-recommended"', 1)[1].split("</section>", 1)[0]
    assert "place No. 2" in section


@pytest.mark.parametrize("sex,word", [("female", "записана"), ("male", "записан"), ("", "записан(а)")])
def test_teacher_home_says_signed_up_in_her_gender(client, anna, sex, word):
    """Her home speaks of her as her record does («записана»), as her events and calendar do."""
    staff_record(anna).sex = sex
    staff_record(anna).save(update_fields=["sex"])
    ParticipationFactory(teacher=staff_record(anna), event=EventFactory(start=in_days(5)))
    client.force_login(anna)
    html = client.get(reverse("home")).content.decode()
    assert f'<span class="badge text-bg-success">{word}</span>' in html
