import datetime

import pytest
from django.utils import timezone

from events import demo
from events.models import (
    Event,
    EventStatus,
    Participation,
    ParticipationStatus,
    Series,
)
from events.notifications import RECOMMENDATION
from events.selectors import events_of_month
from kindergarten_portal.models import Organization, OutboxMessage
from staff import demo as staff_demo
from staff.dates import add_months, working_day

pytestmark = pytest.mark.django_db


def test_demo_builds_the_seed_story_once():
    today = timezone.localdate()
    teachers = staff_demo.build(today=today)
    demo.build(today=today, teachers=teachers)
    counts = (Event.objects.count(), Participation.objects.count(), Organization.objects.count())
    demo.build(today=today, teachers=teachers)
    assert (Event.objects.count(), Participation.objects.count(), Organization.objects.count()) == counts
    assert OutboxMessage.objects.filter(kind=RECOMMENDATION).count() == 3

    series = Series.objects.get(theme="Игра – как форма организации детской жизни")
    titles = set(series.events.values_list("title", flat=True))
    assert "Игра – как фактор всестороннего развития ребёнка" in titles
    assert "Лэпбук – как вид совместной деятельности взрослого и ребёнка" in titles

    following = add_months(today.replace(day=1), 1)
    plan = list(events_of_month(year=following.year, month=following.month))
    assert len(plan) >= 6
    assert Event.objects.filter(status=EventStatus.HELD, results_published=True).exists()

    anna = teachers[0]
    assert Participation.objects.filter(teacher=anna, recommendation_reason="difficulty").exists()
    assert Participation.objects.filter(
        teacher=anna, sharing_due__isnull=False, sharing_done__isnull=True
    ).exists()
    assert Participation.objects.filter(status=ParticipationStatus.WAITING).exists()


@pytest.mark.parametrize(
    "today",
    [
        datetime.date(2026, 12, 7),
        datetime.date(2026, 12, 28),
        datetime.date(2027, 2, 18),
        datetime.date(2027, 4, 26),
    ],
)
def test_demo_events_fall_on_working_days(db, time_machine, today):
    """Not on a weekend, not in the New Year break, not on a public holiday: an office's month."""
    time_machine.move_to(
        datetime.datetime.combine(today, datetime.time(10, 0), tzinfo=timezone.get_current_timezone())
    )
    teachers = staff_demo.build(today=today)
    demo.build(today=today, teachers=teachers)
    days = [timezone.localtime(start).date() for start in Event.objects.values_list("start", flat=True)]
    assert days
    for day in days:
        assert day.weekday() < 5 and not (day.month == 1 and day.day <= 8), day
        assert (day.month, day.day) not in {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)}, day


def test_working_day_rule():
    assert working_day(datetime.date(2027, 1, 3)) == datetime.date(2027, 1, 11)  # Sunday in the break
    assert working_day(datetime.date(2026, 12, 6)) == datetime.date(2026, 12, 7)  # Sunday → Monday
    assert working_day(datetime.date(2026, 12, 6), backward=True) == datetime.date(2026, 12, 4)
    assert working_day(datetime.date(2027, 3, 8)) == datetime.date(2027, 3, 9)  # a public holiday
    assert working_day(datetime.date(2026, 12, 7)) == datetime.date(2026, 12, 7)
