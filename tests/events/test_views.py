import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from events import selectors
from events.access import events_visible_to
from events.models import (
    EducationalArea,
    EventFormat,
    EventStatus,
    Level,
    Participation,
    ParticipationStatus,
    RecommendationReason,
)
from events.selectors import month_bounds
from events.services import calendar_token_get
from staff.academic import AcademicYear
from staff.access import staff_record
from staff.dates import add_months
from tests.events.factories import EventFactory, ParticipationFactory, in_days
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _next_month():
    return add_months(timezone.localdate().replace(day=1), 1)


def _in_next_month(day, hour=10, **fields):
    first, _ = month_bounds(_next_month().year, _next_month().month)
    start = first + datetime.timedelta(days=day - 1, hours=hour)
    return EventFactory(start=start, end=start + datetime.timedelta(hours=2), **fields)


def test_plan_redirects_to_next_month_keeping_filters(client, anna):
    client.force_login(anna)
    response = client.get(reverse("events:plan") + "?level=regional")
    following = _next_month()
    assert response.status_code == 302
    assert response["Location"] == f"/events/{following.year}/{following.month}/?level=regional"


def test_month_lists_visible_events_of_that_month_only(client, anna):
    shown = _in_next_month(5, title="Семинар ГМО по речи")
    cancelled = _in_next_month(6, title="Отменённый круглый стол", status=EventStatus.CANCELLED)
    _in_next_month(7, title="Черновик плана", status=EventStatus.DRAFT)
    EventFactory(start=in_days(-60), title="Давний семинар")
    client.force_login(anna)
    following = _next_month()
    content = client.get(reverse("events:month", args=[following.year, following.month])).content.decode()
    assert shown.title in content
    assert cancelled.title in content
    assert "Черновик плана" not in content
    assert "Давний семинар" not in content


def test_month_filters_by_format_and_level(client, anna):
    _in_next_month(
        5, title="Мастер-класс региональный", format=EventFormat.MASTER_CLASS, level=Level.REGIONAL
    )
    _in_next_month(6, title="Семинар муниципальный", format=EventFormat.SEMINAR, level=Level.MUNICIPAL)
    client.force_login(anna)
    following = _next_month()
    url = reverse("events:month", args=[following.year, following.month])
    content = client.get(url, {"level": Level.REGIONAL}).content.decode()
    assert "Мастер-класс региональный" in content
    assert "Семинар муниципальный" not in content
    content = client.get(url, {"format": EventFormat.SEMINAR}).content.decode()
    assert "Мастер-класс региональный" not in content
    assert "Семинар муниципальный" in content


def test_empty_filter_result_says_so_and_offers_a_reset(client, anna):
    _in_next_month(6, title="Семинар муниципальный", format=EventFormat.SEMINAR, level=Level.MUNICIPAL)
    client.force_login(anna)
    following = _next_month()
    url = reverse("events:month", args=[following.year, following.month])
    response = client.get(url, {"level": Level.REGIONAL, "format": ""})
    assert response.context["filtered"] is True
    content = response.content.decode()
    assert f'<a href="{url}" id="filter-reset">' in content
    # Blank choices are no filter: the month is simply empty.
    previous = add_months(following, -1)
    response = client.get(reverse("events:month", args=[previous.year, previous.month]), {"level": ""})
    assert response.context["filtered"] is False
    assert 'id="filter-reset"' not in response.content.decode()


def test_calendar_places_events_on_their_days(client, anna):
    event = _in_next_month(14, title="Вебинар ИМЦ")
    client.force_login(anna)
    following = _next_month()
    response = client.get(reverse("events:calendar", args=[following.year, following.month]))
    weeks = response.context["weeks"]
    cells = [cell for week in weeks for cell in week if cell["events"]]
    assert [(cell["day"].day, [e.pk for e in cell["events"]]) for cell in cells] == [(14, [event.pk])]
    assert "Вебинар ИМЦ" in response.content.decode()


def _month_url():
    following = _next_month()
    return reverse("events:month", args=[following.year, following.month])


@pytest.mark.parametrize("view", ["events:month", "events:calendar"])
def test_month_and_calendar_query_count_is_constant(client, anna, boris, django_assert_num_queries, view):
    following = _next_month()
    url = reverse(view, args=[following.year, following.month])
    client.force_login(anna)
    ParticipationFactory(event=_in_next_month(3, capacity=3), teacher=staff_record(anna))
    client.get(url)  # warm-up: session, content types
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["events"]) == 1
    for day in range(4, 20):
        event = _in_next_month(day, capacity=5)
        ParticipationFactory(event=event, teacher=staff_record(anna))
        ParticipationFactory(event=event, teacher=staff_record(boris))
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["events"]) == 17


def test_teacher_signs_up_from_the_month_list(client, anna):
    event = _in_next_month(5, capacity=10)
    client.force_login(anna)
    response = client.post(reverse("events:sign_up", args=[event.pk]), {"next": _month_url()}, follow=True)
    assert response.redirect_chain[-1][0] == _month_url()
    participation = Participation.objects.get(event=event, teacher=staff_record(anna))
    assert participation.status == ParticipationStatus.SIGNED_UP
    content = response.content.decode()
    assert "Вы записаны" in content


def test_sign_up_after_deadline_shows_the_reason(client, anna):
    event = _in_next_month(5, signup_deadline=in_days(-1))
    client.force_login(anna)
    response = client.post(reverse("events:sign_up", args=[event.pk]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("Срок записи истёк" in m for m in messages), messages
    assert not Participation.objects.exists()


def test_sign_up_ignores_an_outside_next_url(client, anna):
    event = _in_next_month(5)
    client.force_login(anna)
    response = client.post(reverse("events:sign_up", args=[event.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("events:detail", args=[event.pk])


def test_teacher_cannot_sign_up_to_a_draft(client, anna):
    event = _in_next_month(5, status=EventStatus.DRAFT)
    client.force_login(anna)
    assert client.post(reverse("events:sign_up", args=[event.pk])).status_code == 404


def test_head_without_staff_record_cannot_sign_up(client, head):
    event = _in_next_month(5)
    client.force_login(head)
    assert client.post(reverse("events:sign_up", args=[event.pk])).status_code == 404


def test_cancel_acts_on_own_participation_only(client, anna, boris):
    event = _in_next_month(5)
    borises = ParticipationFactory(event=event, teacher=staff_record(boris))
    client.force_login(anna)
    assert client.post(reverse("events:cancel", args=[event.pk])).status_code == 404
    borises.refresh_from_db()
    assert borises.status == ParticipationStatus.SIGNED_UP


def test_cancel_frees_place(client, anna):
    event = _in_next_month(5)
    participation = ParticipationFactory(event=event, teacher=staff_record(anna))
    client.force_login(anna)
    client.post(reverse("events:cancel", args=[event.pk]))
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.CANCELLED


def test_cancel_asks_first_and_says_the_place_goes_to_the_next_in_line(client, anna, boris):
    event = _in_next_month(5, capacity=1)
    participation = ParticipationFactory(event=event, teacher=staff_record(anna))
    waiting = ParticipationFactory(
        event=event, teacher=staff_record(boris), status=ParticipationStatus.WAITING
    )
    client.force_login(anna)
    detail = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    # The button on the event page is a link to the confirmation, not a form that cancels.
    assert f'href="{reverse("events:cancel", args=[event.pk])}?next=' in detail
    assert f'action="{reverse("events:cancel", args=[event.pk])}"' not in detail
    response = client.get(reverse("events:cancel", args=[event.pk]) + "?next=/events/my/")
    assert response.status_code == 200
    assert response.context["waiting_count"] == 1
    assert response.context["can_cancel"] is True
    assert 'name="next" value="/events/my/"' in response.content.decode()
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.SIGNED_UP  # asking changed nothing
    response = client.post(reverse("events:cancel", args=[event.pk]), {"next": "/events/my/"})
    assert response["Location"] == "/events/my/"
    participation.refresh_from_db()
    waiting.refresh_from_db()
    assert participation.status == ParticipationStatus.CANCELLED
    assert waiting.status == ParticipationStatus.SIGNED_UP


def test_cancel_confirmation_after_the_deadline_offers_no_button(client, anna):
    event = _in_next_month(5, signup_deadline=in_days(-1))
    ParticipationFactory(event=event, teacher=staff_record(anna))
    client.force_login(anna)
    response = client.get(reverse("events:cancel", args=[event.pk]))
    assert response.context["can_cancel"] is False
    assert 'method="post"' not in response.content.decode().split("<main", 1)[-1]


def _waiting_line(event, *teachers):
    """Waiting participations joined a day apart, in the order given."""
    return [
        ParticipationFactory(
            event=event,
            teacher=teacher,
            status=ParticipationStatus.WAITING,
            status_changed_at=in_days(-10 + n),
        )
        for n, teacher in enumerate(teachers)
    ]


def test_waiting_position_follows_the_order_places_are_given_in(anna, boris):
    event = _in_next_month(5, capacity=1)
    holder = ParticipationFactory(event=event)  # holds the only place
    third = EmployeeFactory()
    first, second, last = _waiting_line(event, staff_record(boris), staff_record(anna), third)
    # Same moment as Anna: the lower pk goes first.
    tie = ParticipationFactory(
        event=event, status=ParticipationStatus.WAITING, status_changed_at=second.status_changed_at
    )
    positions = dict(
        selectors.with_waiting_position(Participation.objects.filter(event=event)).values_list(
            "pk", "waiting_position"
        )
    )
    assert [positions[p.pk] for p in (first, second, tie, last)] == [1, 2, 3, 4]
    assert positions[holder.pk] is None
    assert selectors.waiting_position(second) == 2


def test_waiting_position_skips_dismissed_and_cancelled_colleagues(anna, boris):
    event = _in_next_month(5, capacity=1)
    gone = EmployeeFactory(dismissal_date=timezone.localdate() - datetime.timedelta(days=1))
    left, dismissed, annas = _waiting_line(event, staff_record(boris), gone, staff_record(anna))
    left.status = ParticipationStatus.CANCELLED
    left.save()
    assert selectors.waiting_position(annas) == 1
    assert selectors.waiting_position(left) is None


def test_detail_and_my_events_show_her_waiting_position(client, anna, boris):
    event = _in_next_month(5, capacity=1)
    ParticipationFactory(event=event)
    _waiting_line(event, staff_record(boris), staff_record(anna))
    client.force_login(anna)
    detail = client.get(reverse("events:detail", args=[event.pk]))
    assert detail.context["participation"].waiting_position == 2
    assert 'data-test="status">You are on the waiting list: place No. 2' in _english(
        client, reverse("events:detail", args=[event.pk])
    )
    my = client.get(reverse("events:my"))
    assert [p.waiting_position for p in my.context["upcoming"]] == [2]
    assert "place No. 2" in _english(client, reverse("events:my"))


def _english(client, url):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_joining_the_waiting_list_tells_her_position_and_the_deadline(client, anna, boris):
    event = _in_next_month(5, capacity=1)
    event.signup_deadline = event.start - datetime.timedelta(days=1, hours=2)
    event.save()
    ParticipationFactory(event=event)
    _waiting_line(event, staff_record(boris))
    client.force_login(anna)
    response = client.post(reverse("events:sign_up", args=[event.pk]), follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert "№2" in text or "No. 2" in text
    assert date_format(timezone.localtime(event.signup_deadline), "d.m.Y H:i") in text
    assert (
        Participation.objects.get(event=event, teacher=staff_record(anna)).status
        == ParticipationStatus.WAITING
    )


def _recommend(event, teacher, senior, **fields):
    return ParticipationFactory(
        event=event,
        teacher=teacher,
        status=ParticipationStatus.RECOMMENDED,
        recommended_by=senior,
        recommended_at=timezone.now(),
        **fields,
    )


def test_my_events_shows_recommendations_first_with_reason(client, anna, senior):
    signed = _in_next_month(3, title="Мой вебинар")
    ParticipationFactory(event=signed, teacher=staff_record(anna))
    _recommend(
        _in_next_month(9, title="Семинар по речи"),
        staff_record(anna),
        senior,
        recommendation_reason=RecommendationReason.DIFFICULTY,
        recommendation_area=EducationalArea.SPEECH,
        recommendation_comment="Диалогическая речь",
    )
    client.force_login(anna)
    content = client.get(reverse("events:my")).content.decode()
    assert content.index("Семинар по речи") < content.index("Мой вебинар")
    assert "Диалогическая речь" in content
    assert str(EducationalArea.SPEECH.label) in content or "речев" in content


def test_my_events_never_shows_others_recommendations(client, anna, boris, senior):
    _recommend(
        _in_next_month(9, title="Только для Бориса"),
        staff_record(boris),
        senior,
        recommendation_reason=RecommendationReason.OPEN_EVENT,
        recommendation_comment="Секретный комментарий",
    )
    client.force_login(anna)
    content = client.get(reverse("events:my")).content.decode()
    assert "Только для Бориса" not in content
    assert "Секретный комментарий" not in content
    # nor on the event page
    event = Participation.objects.get().event
    content = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Секретный комментарий" not in content


def test_my_events_query_count_is_constant(client, anna, senior, django_assert_num_queries):
    url = reverse("events:my")
    client.force_login(anna)
    _recommend(
        _in_next_month(2), staff_record(anna), senior, recommendation_reason=RecommendationReason.OPEN_EVENT
    )
    client.get(url)
    with django_assert_num_queries(4):  # session, user with her staff record, participations, first year
        client.get(url)
    for day in range(3, 12):
        _recommend(
            _in_next_month(day, capacity=3),
            staff_record(anna),
            senior,
            recommendation_reason=RecommendationReason.OPEN_EVENT,
        )
        ParticipationFactory(event=_in_next_month(day, capacity=2), teacher=staff_record(anna))
        ParticipationFactory(
            event=EventFactory(start=in_days(-day), status=EventStatus.HELD),
            teacher=staff_record(anna),
            status=ParticipationStatus.ATTENDED,
            sharing_due=timezone.localdate(),
        )
    with django_assert_num_queries(4):
        response = client.get(url)
    assert len(response.context["recommended"]) == 10
    assert len(response.context["sharing"]) == 9


def _attended(teacher, start, title):
    return ParticipationFactory(
        event=EventFactory(
            start=start, end=start + datetime.timedelta(hours=2), status=EventStatus.HELD, title=title
        ),
        teacher=teacher,
        status=ParticipationStatus.ATTENDED,
    )


def test_my_events_lists_the_attended_events_of_one_academic_year(client, anna):
    """Years of history do not pile up on her page: the current academic year by default, a switch
    for the earlier ones (each year is the same two queries)."""
    year = AcademicYear.current()
    tz = timezone.get_current_timezone()
    day = max(year.start, timezone.localdate() - datetime.timedelta(days=1))
    this_year = datetime.datetime.combine(day, datetime.time(0, 30), tzinfo=tz)
    two_years_ago = this_year.replace(year=this_year.year - 2)
    _attended(staff_record(anna), this_year, "Семинар этого года")
    _attended(staff_record(anna), two_years_ago, "Семинар позапрошлого года")
    client.force_login(anna)
    response = client.get(reverse("events:my"))
    content = response.content.decode()
    assert "Семинар этого года" in content and "Семинар позапрошлого года" not in content
    assert response.context["years"] == [year, year.previous, year.previous.previous]
    assert f'<option value="{year.previous.previous}">' in content

    content = client.get(reverse("events:my"), {"year": year.previous.previous.label}).content.decode()
    assert "Семинар позапрошлого года" in content and "Семинар этого года" not in content
    empty = client.get(reverse("events:my"), {"year": year.previous.label}).content.decode()
    assert f"В {year.previous} учебном году посещённых мероприятий нет" in empty


def test_my_events_ignores_a_year_that_is_not_one(client, anna):
    year = AcademicYear.current()
    tz = timezone.get_current_timezone()
    _attended(
        staff_record(anna),
        datetime.datetime.combine(
            max(year.start, timezone.localdate() - datetime.timedelta(days=1)),
            datetime.time(0, 30),
            tzinfo=tz,
        ),
        "Семинар этого года",
    )
    client.force_login(anna)
    response = client.get(reverse("events:my"), {"year": "2025-2026"})
    assert response.context["year"] == year
    assert "Семинар этого года" in response.content.decode()


def _follow_up(teacher):
    return ParticipationFactory(
        event=EventFactory(start=in_days(-7), status=EventStatus.HELD, title="Литературная гостиная"),
        teacher=teacher,
        status=ParticipationStatus.ATTENDED,
        sharing_due=timezone.localdate() + datetime.timedelta(days=10),
    )


def test_teacher_closes_her_follow_up(client, anna):
    participation = _follow_up(staff_record(anna))
    client.force_login(anna)
    assert "Литературная гостиная" in client.get(reverse("events:my")).content.decode()
    response = client.post(
        reverse("events:sharing", args=[participation.pk]),
        {
            "form": "consultation",
            "done_on": timezone.localdate().isoformat(),
            "account": "Консультация для коллег на педчасе",
        },
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.sharing_done == timezone.localdate()
    assert participation.sharing_account == "Консультация для коллег на педчасе"
    assert participation.sharing_format == "consultation"
    content = client.get(reverse("events:my")).content.decode()
    assert reverse("events:sharing", args=[participation.pk]) not in content


def test_follow_up_needs_its_form_and_another_form_is_stored_empty(client, anna):
    participation = _follow_up(staff_record(anna))
    client.force_login(anna)
    url = reverse("events:sharing", args=[participation.pk])
    data = {"done_on": timezone.localdate().isoformat(), "account": "Рассказала на прогулке"}
    with translation.override("ru"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.context["form"].errors["form"] == ["Обязательное поле."]
    assert client.post(url, {**data, "form": "other"}).status_code == 302
    participation.refresh_from_db()
    assert (participation.sharing_done, participation.sharing_format) == (timezone.localdate(), "")


def test_follow_up_with_future_date_keeps_what_was_typed(client, anna):
    participation = _follow_up(staff_record(anna))
    client.force_login(anna)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("events:sharing", args=[participation.pk]),
        {"form": "master_class", "done_on": tomorrow.isoformat(), "account": "Мой рассказ"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["done_on"]
    assert "Мой рассказ" in response.content.decode()
    assert '<option value="master_class" selected>' in response.content.decode()
    participation.refresh_from_db()
    assert participation.sharing_done is None


def test_teacher_cannot_close_someone_elses_follow_up(client, anna, boris):
    participation = _follow_up(staff_record(boris))
    client.force_login(anna)
    response = client.post(
        reverse("events:sharing", args=[participation.pk]),
        {"form": "other", "done_on": timezone.localdate().isoformat(), "account": "чужое"},
    )
    assert response.status_code == 404
    participation.refresh_from_db()
    assert participation.sharing_done is None


def test_my_calendar_regenerates_the_address(client, anna):
    client.force_login(anna)
    old = client.get(reverse("events:my_calendar")).context["token"].token
    assert client.get(reverse("events:personal_ics", args=[old])).status_code == 200
    # The first step only asks: the address still works.
    confirm = client.get(reverse("events:my_calendar_regenerate"))
    assert confirm.status_code == 200
    assert client.get(reverse("events:personal_ics", args=[old])).status_code == 200
    client.post(reverse("events:my_calendar_regenerate"))
    new = client.get(reverse("events:my_calendar")).context["token"].token
    assert new != old
    assert client.get(reverse("events:personal_ics", args=[old])).status_code == 404
    assert client.get(reverse("events:personal_ics", args=[new])).status_code == 200


def test_dismissed_teacher_no_longer_sees_the_plan_nor_signs_up(client, anna):
    event = _in_next_month(5, capacity=5)
    ParticipationFactory(event=_in_next_month(6), teacher=staff_record(anna))
    feed = reverse("events:personal_ics", args=[calendar_token_get(employee=staff_record(anna)).token])
    assert client.get(feed).status_code == 200
    staff_record(anna).dismissal_date = timezone.localdate() - datetime.timedelta(days=1)
    staff_record(anna).save()
    client.force_login(anna)
    following = _next_month()
    assert client.get(reverse("events:month", args=[following.year, following.month])).status_code == 403
    assert client.get(reverse("events:calendar", args=[following.year, following.month])).status_code == 403
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 403
    assert client.get(reverse("events:my")).status_code == 403
    assert client.get(feed).status_code == 404
    assert client.post(reverse("events:sign_up", args=[event.pk])).status_code == 403
    assert not Participation.objects.filter(event=event).exists()


def test_events_visible_to_a_dismissed_teacher_are_none(anna, boris):
    _in_next_month(5)
    staff_record(anna).dismissal_date = timezone.localdate()
    staff_record(anna).save()
    assert events_visible_to(anna).count() == 1  # her last working day: still hers
    staff_record(anna).dismissal_date = timezone.localdate() - datetime.timedelta(days=1)
    staff_record(anna).save()
    assert not events_visible_to(anna).exists()
    assert events_visible_to(boris).count() == 1


def test_calendar_lists_the_days_with_events_for_phones(client, anna):
    mine = _in_next_month(6, title="Мой семинар")
    ParticipationFactory(event=mine, teacher=staff_record(anna))
    other = _in_next_month(14, title="Вебинар ИМЦ")
    client.force_login(anna)
    following = _next_month()
    response = client.get(reverse("events:calendar", args=[following.year, following.month]))
    agenda = response.context["agenda"]
    assert [(entry["day"].day, [e.pk for e in entry["events"]]) for entry in agenda] == [
        (6, [mine.pk]),
        (14, [other.pk]),
    ]
    content = response.content.decode()
    agenda_html = content[content.index('id="event-agenda"') : content.index('id="event-calendar"')]
    assert "Мой семинар" in agenda_html
    assert f'class="calendar-event agenda-event py-1 mine" data-event="{mine.pk}"' in agenda_html


@pytest.mark.parametrize("status", [EventStatus.HELD, EventStatus.CANCELLED])
def test_past_or_cancelled_event_shows_no_places_nor_deadline(client, anna, status):
    event = EventFactory(start=in_days(-2), capacity=47, status=status)
    client.force_login(anna)
    content = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "из 47" not in content
    assert date_format(timezone.localtime(event.deadline), "d.m.Y H:i") not in content


def test_planned_event_shows_places_and_deadline(client, anna):
    event = EventFactory(capacity=40)
    ParticipationFactory(event=event)
    client.force_login(anna)
    content = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "39 из 40" in content
    assert date_format(timezone.localtime(event.deadline), "d.m.Y H:i") in content


def test_month_heading_names_the_month_in_lower_case_after_the_colon(client, anna):
    client.force_login(anna)
    for url in ("/events/2027/1/", "/events/2027/1/print/"):
        content = client.get(url).content.decode()
        assert "План мероприятий: январь 2027" in content, url
        assert "План мероприятий: Январь" not in content, url
