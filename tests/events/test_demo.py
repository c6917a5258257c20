import pytest
from django.utils import timezone

from events import demo
from events.models import (
    Event,
    EventStatus,
    Organization,
    Participation,
    ParticipationStatus,
    Series,
)
from events.notifications import RECOMMENDATION
from events.selectors import events_of_month
from kindergarten_portal.models import OutboxMessage
from staff import demo as staff_demo
from staff.dates import add_months

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
