import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from events.models import (
    EducationalArea,
    Event,
    EventStatus,
    NetworkMembership,
    Participation,
    ParticipationStatus,
    RecommendationReason,
)
from tests.events.factories import EventFactory, OrganizationFactory, ParticipationFactory, in_days
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url,queries",
    [("admin:events_event_changelist", 12), ("admin:events_participation_changelist", 8)],
    ids=["events", "participation"],
)
def test_admin_lists_keep_a_constant_query_count(client, senior, django_assert_num_queries, url, queries):
    client.force_login(senior)
    ParticipationFactory(event=EventFactory(capacity=3))
    client.get(reverse(url))
    with django_assert_num_queries(queries):
        client.get(reverse(url))
    for _ in range(12):
        event = EventFactory(capacity=5, organizer=OrganizationFactory())
        ParticipationFactory(event=event)
        ParticipationFactory(event=event)
    with django_assert_num_queries(queries):
        response = client.get(reverse(url))
    assert response.context["cl"].result_count in (13, 25)


def test_organizations_list_shows_membership_now(client, senior):
    member = OrganizationFactory(name="Детская библиотека")
    gone = OrganizationFactory(name="Школа № 7")
    NetworkMembership.objects.create(organization=member, joined="2020-09-01")
    NetworkMembership.objects.create(organization=gone, joined="2018-09-01", left="2024-06-30")
    client.force_login(senior)
    response = client.get(reverse("admin:events_organization_changelist"), {"member": "yes"})
    assert [o.name for o in response.context["cl"].result_list] == ["Детская библиотека"]
    response = client.get(reverse("admin:events_organization_changelist"), {"member": "no"})
    assert [o.name for o in response.context["cl"].result_list] == ["Школа № 7"]


def _action(client, model, action, pks, **extra):
    return client.post(
        reverse(f"admin:events_{model}_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks], **extra},
    )


def test_copy_action_makes_a_draft(client, senior):
    event = EventFactory(title="Семинар ГМО")
    client.force_login(senior)
    _action(client, "event", "copy_events", [event.pk])
    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.status == EventStatus.DRAFT
    assert "Семинар ГМО" in copy.title


def test_recommend_action_asks_then_recommends(client, senior):
    event = EventFactory()
    anna, olga = EmployeeFactory(), EmployeeFactory()
    client.force_login(senior)
    response = _action(client, "event", "recommend_action", [event.pk])
    assert response.status_code == 200
    assert "form" in response.context
    response = _action(
        client,
        "event",
        "recommend_action",
        [event.pk],
        apply="1",
        teachers=[anna.pk, olga.pk],
        reason=RecommendationReason.DIFFICULTY,
        area="",
    )
    assert response.context["form"].errors["area"]  # a difficulty names its area
    assert not Participation.objects.exists()
    _action(
        client,
        "event",
        "recommend_action",
        [event.pk],
        apply="1",
        teachers=[anna.pk, olga.pk],
        reason=RecommendationReason.DIFFICULTY,
        area=EducationalArea.COGNITIVE,
        comment="ФЭМП",
    )
    rows = Participation.objects.filter(event=event)
    assert {p.teacher_id for p in rows} == {anna.pk, olga.pk}
    assert {p.recommendation_area for p in rows} == {EducationalArea.COGNITIVE}
    assert {p.recommended_by_id for p in rows} == {senior.pk}


def test_mark_attendance_in_bulk(client, senior):
    event = EventFactory(start=in_days(-1))
    came, missed = ParticipationFactory(event=event), ParticipationFactory(event=event)
    client.force_login(senior)
    _action(client, "participation", "mark_attended", [came.pk])
    _action(client, "participation", "mark_absent", [missed.pk])
    came.refresh_from_db()
    missed.refresh_from_db()
    assert came.status == ParticipationStatus.ATTENDED
    assert came.sharing_due is not None  # external event: experience sharing follows
    assert missed.status == ParticipationStatus.ABSENT


def test_sharing_owed_filter(client, senior):
    owed = ParticipationFactory(
        event=EventFactory(start=in_days(-5)),
        status=ParticipationStatus.ATTENDED,
        sharing_due=in_days(5).date(),
    )
    ParticipationFactory(
        event=EventFactory(start=in_days(-5)),
        status=ParticipationStatus.ATTENDED,
        sharing_due=in_days(5).date(),
        sharing_done=in_days(-1).date(),
        sharing_account="сделано",
    )
    client.force_login(senior)
    response = client.get(reverse("admin:events_participation_changelist"), {"sharing": "owed"})
    assert [p.pk for p in response.context["cl"].result_list] == [owed.pk]


def test_head_reads_but_cannot_run_write_actions(client, head):
    event = EventFactory()
    client.force_login(head)
    response = client.get(reverse("admin:events_event_changelist"))
    assert response.status_code == 200
    assert response.context["action_form"] is None or "copy_events" not in str(
        response.context["action_form"]
    )
    _action(client, "event", "copy_events", [event.pk])
    assert Event.objects.count() == 1


def test_senior_saving_a_larger_capacity_promotes_the_waiting_list(client, senior):
    event = EventFactory(capacity=1)
    ParticipationFactory(event=event)
    waiting = ParticipationFactory(event=event, status=ParticipationStatus.WAITING)
    client.force_login(senior)
    response = client.get(reverse("admin:events_event_change", args=[event.pk]))
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = value if value is not None else ""
    data["capacity"] = 2
    data["co_organizers"] = []
    for name in ("start", "end"):
        moment = timezone.localtime(getattr(event, name))
        data.pop(name)
        data[f"{name}_0"], data[f"{name}_1"] = moment.strftime("%d.%m.%Y"), moment.strftime("%H:%M")
    data.pop("signup_deadline")
    for formset in response.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        management = formset.formset.management_form
        for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{prefix}-{key}"] = management[key].value()
        for index, inline_form in enumerate(formset.formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[f"{prefix}-{index}-{name}"] = "" if value is None else value
    assert data  # a real form post
    response = client.post(reverse("admin:events_event_change", args=[event.pk]), _flatten(data))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    waiting.refresh_from_db()
    event.refresh_from_db()
    assert event.capacity == 2
    assert waiting.status == ParticipationStatus.SIGNED_UP


def _flatten(data):
    flat = {}
    for key, value in data.items():
        if isinstance(value, bool):
            if value:
                flat[key] = "on"
        elif isinstance(value, list | tuple):
            flat[key] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
        elif hasattr(value, "pk"):
            flat[key] = str(value.pk)
        else:
            flat[key] = str(value)
    return flat
