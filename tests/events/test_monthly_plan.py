"""The monthly plan e-mail: published by the senior educator, sent once to every current teacher
with her own recommendations; opted-out, dismissed and non-teaching staff are skipped."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.models import (
    EducationalArea,
    EventFormat,
    EventStatus,
    Level,
    ParticipationStatus,
    PublishedPlan,
    RecommendationReason,
)
from events.notifications import queue_monthly_plans
from events.services import plan_publish
from kindergarten_portal.models import OutboxMessage
from staff.access import staff_record
from staff.dates import add_months
from staff.models import Category, Position
from tests.events.factories import EventFactory, ParticipationFactory
from tests.factories import CategoryDecisionFactory, EmployeeFactory
from tests.outbox import send_queued

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


@pytest.fixture
def march(anna, boris):
    """The plan of March 2027 and the staff seen on 25.02.2027."""
    staff_record(anna).email = "anna@sad.example"
    staff_record(anna).save()
    staff_record(boris).email = "boris@sad.example"
    staff_record(boris).save()
    seminar = EventFactory(
        title="Игра как форма организации детской жизни",
        start=at(2027, 3, 3, 14, 30),
        format=EventFormat.SEMINAR,
        level=Level.MUNICIPAL,
        place="ИМЦ, ауд. 12",
    )
    master = EventFactory(
        title="Мастер-класс по песочной терапии",
        start=at(2027, 3, 17, 10, 0),
        format=EventFormat.MASTER_CLASS,
        level=Level.REGIONAL,
        place="Детский сад № 5",
    )
    EventFactory(title="Отменённый круглый стол", start=at(2027, 3, 20), status=EventStatus.CANCELLED)
    EventFactory(title="Черновик", start=at(2027, 3, 21), status=EventStatus.DRAFT)
    EventFactory(title="Апрельский вебинар", start=at(2027, 4, 2))
    ParticipationFactory(
        event=seminar,
        teacher=staff_record(anna),
        status=ParticipationStatus.RECOMMENDED,
        recommendation_reason=RecommendationReason.DIFFICULTY,
        recommendation_area=EducationalArea.SPEECH,
        recommendation_comment="Посмотрите приёмы работы с подгруппой.",
    )
    ParticipationFactory(
        event=master,
        teacher=staff_record(boris),
        status=ParticipationStatus.RECOMMENDED,
        recommendation_reason=RecommendationReason.OPEN_EVENT,
    )
    EmployeeFactory(surname="Отказалась", email="optout@sad.example", plan_mail_opt_out=True)
    EmployeeFactory(
        surname="Уволена",
        email="gone@sad.example",
        hire_date=datetime.date(2016, 9, 1),
        dismissal_date=datetime.date(2027, 1, 31),
    )
    EmployeeFactory(surname="Заведующая", email="head@sad.example", position=Position.HEAD)
    EmployeeFactory(surname="Безадреса", email="")
    EmployeeFactory(surname="Логопед", email="speech@sad.example", position=Position.SPEECH_THERAPIST)
    return seminar, master


def _mails():
    send_queued()
    return {m.to[0]: m for m in mail.outbox}


def test_nothing_is_sent_before_the_plan_is_published(march):
    assert queue_monthly_plans(now=at(2027, 2, 25)) == 0


def test_published_plan_goes_once_to_each_current_teacher_with_her_recommendations(march, senior):
    plan_publish(year=2027, month=3, published_by=senior, now=at(2027, 2, 24))
    assert queue_monthly_plans(now=at(2027, 2, 25)) == 3
    mails = _mails()
    assert sorted(mails) == ["anna@sad.example", "boris@sad.example", "speech@sad.example"]

    anna = mails["anna@sad.example"]
    assert anna.subject == "План мероприятий на март 2027 и ваши рекомендации"
    assert "03.03.2027, среда, 14:30 — «Игра как форма организации детской жизни»" in anna.body
    assert "Семинар, муниципальный. Место: ИМЦ, ауд. 12" in anna.body
    assert "17.03.2027, среда, 10:00 — «Мастер-класс по песочной терапии»" in anna.body
    assert "Отменённый" not in anna.body and "Черновик" not in anna.body and "Апрельский" not in anna.body
    recommendations = anna.body.split("План месяца:")[0]
    assert "«Игра как форма организации детской жизни», 03.03.2027 (среда), 14:30" in recommendations
    assert "Посмотрите приёмы работы с подгруппой." in recommendations
    assert "Мастер-класс" not in recommendations  # Boris's, not hers
    assert "/staff/me/contacts/" in anna.body  # where to turn it off

    boris = mails["boris@sad.example"].body.split("План месяца:")[0]
    assert "«Мастер-класс по песочной терапии», 17.03.2027 (среда), 10:00" in boris
    assert "Игра как форма" not in boris
    speech = mails["speech@sad.example"]
    assert speech.subject == "План мероприятий на март 2027"
    assert "рекомендует" not in speech.body

    assert queue_monthly_plans(now=at(2027, 2, 25, 10, 5)) == 0
    assert queue_monthly_plans(now=at(2027, 3, 2)) == 0
    assert len(_mails()) == 3
    assert OutboxMessage.objects.filter(kind="events.monthly_plan").count() == 3


def test_a_teacher_hired_after_publication_gets_it_on_the_next_run(march, senior):
    plan_publish(year=2027, month=3, published_by=senior, now=at(2027, 2, 24))
    queue_monthly_plans(now=at(2027, 2, 25))
    EmployeeFactory(surname="Новенькая", email="new@sad.example", hire_date=datetime.date(2027, 2, 26))
    assert queue_monthly_plans(now=at(2027, 2, 26)) == 1
    assert queue_monthly_plans(now=at(2027, 2, 27)) == 0


def test_a_month_that_is_over_is_not_mailed(march, senior):
    plan_publish(year=2027, month=3, published_by=senior, now=at(2027, 2, 24))
    assert queue_monthly_plans(now=at(2027, 4, 1)) == 0


def test_publishing_twice_keeps_the_first(senior, head):
    first, created = plan_publish(year=2027, month=3, published_by=senior, now=at(2027, 2, 24))
    again, created_again = plan_publish(year=2027, month=3, published_by=head, now=at(2027, 2, 25))
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.published_by == senior
    assert PublishedPlan.objects.count() == 1


def test_the_cron_command_sends_the_published_plan_once(anna, senior):
    staff_record(anna).email = "anna@sad.example"
    staff_record(anna).save()
    # Her highest category has no end date: no attestation reminder joins the plan's mail.
    CategoryDecisionFactory(
        employee=staff_record(anna), category=Category.HIGHEST, decision_date=datetime.date(2024, 1, 10)
    )
    following = add_months(timezone.localdate().replace(day=1), 1)
    plan_publish(year=following.year, month=following.month, published_by=senior)
    for _run in range(2):
        call_command("send_notifications", stdout=io.StringIO())
        call_command("send_mail_queue", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [["anna@sad.example"]]


def test_senior_publishes_next_months_plan_from_the_event_list(client, senior):
    following = add_months(timezone.localdate().replace(day=1), 1)
    client.force_login(senior)
    page = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert reverse("admin:events_event_publish_next_plan") in page
    response = client.post(reverse("admin:events_event_publish_next_plan"))
    assert response.status_code == 302
    plan = PublishedPlan.objects.get()
    assert (plan.year, plan.month, plan.published_by) == (following.year, following.month, senior)
    page = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert "data-plan-published" in page
    assert reverse("admin:events_event_publish_next_plan") not in page
    client.post(reverse("admin:events_event_publish_next_plan"))
    assert PublishedPlan.objects.count() == 1


def test_head_may_not_publish_the_plan(client, head):
    client.force_login(head)
    assert (
        reverse("admin:events_event_publish_next_plan")
        not in client.get(reverse("admin:events_event_changelist")).content.decode()
    )
    assert client.post(reverse("admin:events_event_publish_next_plan")).status_code == 403
    assert not PublishedPlan.objects.exists()


def test_admin_action_publishes_the_months_of_the_selected_events(client, senior):
    events = [
        EventFactory(start=at(2027, 3, 3)),
        EventFactory(start=at(2027, 3, 9)),
        EventFactory(start=at(2027, 5, 1)),
    ]
    client.force_login(senior)
    client.post(
        reverse("admin:events_event_changelist"),
        {"action": "publish_plans", "_selected_action": [e.pk for e in events]},
    )
    assert sorted(PublishedPlan.objects.values_list("year", "month")) == [(2027, 3), (2027, 5)]


def test_teacher_turns_the_plan_mail_off_and_on_on_her_page(client, anna):
    client.force_login(anna)
    client.post(reverse("staff:my_contacts_edit"), {"phone": "", "email": "", "plan_mail_opt_out": "on"})
    staff_record(anna).refresh_from_db()
    assert staff_record(anna).plan_mail_opt_out is True
    assert "data-plan-mail>" in client.get(reverse("staff:my_page")).content.decode()
    client.post(reverse("staff:my_contacts_edit"), {"phone": "", "email": ""})
    staff_record(anna).refresh_from_db()
    assert staff_record(anna).plan_mail_opt_out is False
