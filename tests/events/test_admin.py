import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events.models import (
    EducationalArea,
    Event,
    EventStatus,
    Participation,
    ParticipationStatus,
    RecommendationReason,
)
from kindergarten_portal.models import GENERIC_KINDERGARTEN_NAME, NetworkMembership, OutboxMessage
from tests.events.factories import EventFactory, OrganizationFactory, ParticipationFactory, in_days
from tests.factories import EmployeeFactory
from tests.outbox import send_queued

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url,queries",
    [("admin:events_event_changelist", 11), ("admin:events_participation_changelist", 6)],
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
    response = client.get(reverse("admin:kindergarten_portal_organization_changelist"), {"member": "yes"})
    assert [o.name for o in response.context["cl"].result_list] == ["Детская библиотека"]
    response = client.get(reverse("admin:kindergarten_portal_organization_changelist"), {"member": "no"})
    # Our kindergarten (its senior educator's) is not a member of the network it works in either.
    assert [o.name for o in response.context["cl"].result_list] == [GENERIC_KINDERGARTEN_NAME, "Школа № 7"]


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
    data = _change_form_data(response)
    data["capacity"] = 2
    assert data  # a real form post
    response = client.post(reverse("admin:events_event_change", args=[event.pk]), _flatten(data))
    assert response.status_code == 302, _errors(response)
    waiting.refresh_from_db()
    event.refresh_from_db()
    assert event.capacity == 2
    assert waiting.status == ParticipationStatus.SIGNED_UP


def _change_form_data(response):
    """What the admin change form at `response` posts back unchanged (main form and inlines)."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = value if value is not None else ""
    for name, value in list(data.items()):
        if isinstance(value, datetime.datetime):  # split date and time widgets
            moment = timezone.localtime(value)
            data.pop(name)
            data[f"{name}_0"], data[f"{name}_1"] = moment.strftime("%d.%m.%Y"), moment.strftime("%H:%M")
    for formset in response.context.get("inline_admin_formsets") or []:
        prefix = formset.formset.prefix
        management = formset.formset.management_form
        for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{prefix}-{key}"] = management[key].value()
        for index, inline_form in enumerate(formset.formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[f"{prefix}-{index}-{name}"] = "" if value is None else value
    return data


def _errors(response):
    if not response.context:
        return ""
    inline_errors = [f.formset.errors for f in response.context.get("inline_admin_formsets") or []]
    return response.context["adminform"].form.errors, inline_errors


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


# ---- attendance entered in the admin goes through services.attendance_mark


def _post_inline_status(client, event, participation, status):
    url = reverse("admin:events_event_change", args=[event.pk])
    data = _change_form_data(client.get(url))
    (prefix,) = [
        key[: -len("-0-id")]
        for key, value in data.items()
        if key.endswith("-0-id") and str(value) == str(participation.pk)
    ]
    data[f"{prefix}-0-status"] = status
    return client.post(url, _flatten(data))


def test_attendance_marked_in_the_event_inline_opens_the_sharing_follow_up(client, senior):
    # External (the organizer is a partner), held on 5 October.
    event = EventFactory(start=timezone.make_aware(datetime.datetime(2026, 10, 5, 10, 0)))
    participation = ParticipationFactory(event=event)
    client.force_login(senior)
    response = _post_inline_status(client, event, participation, ParticipationStatus.ATTENDED)
    assert response.status_code == 302, _errors(response)
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ATTENDED
    assert participation.sharing_due == datetime.date(2026, 11, 4)  # 30 days after the event


def test_attendance_of_a_future_event_in_the_inline_is_refused(client, senior):
    event = EventFactory(start=in_days(3))
    participation = ParticipationFactory(event=event)
    client.force_login(senior)
    response = _post_inline_status(client, event, participation, ParticipationStatus.ATTENDED)
    assert response.status_code == 200  # the form again, with the reason at the status
    (inline,) = [f for f in response.context["inline_admin_formsets"] if f.formset.model is Participation]
    assert inline.formset.forms[0].errors["status"]
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.SIGNED_UP
    assert participation.sharing_due is None


def test_attendance_marked_on_the_participation_form_goes_through_the_service(client, senior):
    past = ParticipationFactory(event=EventFactory(start=in_days(-2)))
    future = ParticipationFactory(event=EventFactory(start=in_days(2)))
    client.force_login(senior)
    for participation in (past, future):
        url = reverse("admin:events_participation_change", args=[participation.pk])
        data = _change_form_data(client.get(url))
        data["status"] = ParticipationStatus.ATTENDED
        response = client.post(url, _flatten(data))
        participation.refresh_from_db()
        if participation is past:
            assert response.status_code == 302, _errors(response)
            assert participation.status == ParticipationStatus.ATTENDED
            assert participation.sharing_due is not None
        else:
            assert response.context["adminform"].form.errors["status"]
            assert participation.status == ParticipationStatus.SIGNED_UP


# 12, and the attended participants the published results will not name (one query).
QUERIES_EVENT_CHANGE = 13


def test_event_change_page_query_count_does_not_grow_with_participants(
    client, senior, django_assert_num_queries
):
    event = EventFactory(capacity=30)
    ParticipationFactory(event=event)
    url = reverse("admin:events_event_change", args=[event.pk])
    client.force_login(senior)
    client.get(url)
    with django_assert_num_queries(QUERIES_EVENT_CHANGE):
        response = client.get(url)
    assert response.status_code == 200
    for _ in range(12):
        ParticipationFactory(event=event)
    with django_assert_num_queries(QUERIES_EVENT_CHANGE):
        response = client.get(url)
    content = response.content.decode()
    for participation in Participation.objects.select_related("teacher"):
        assert participation.teacher.full_name in content  # each row names its teacher


# ---- recommending several events: all or none


def _recommend_post(client, events, teachers):
    return _action(
        client,
        "event",
        "recommend_action",
        [event.pk for event in events],
        apply="1",
        teachers=[teacher.pk for teacher in teachers],
        reason=RecommendationReason.OPEN_EVENT,
    )


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.HELD, EventStatus.CANCELLED])
def test_recommending_events_with_one_teachers_cannot_see_recommends_none(
    client, senior, django_capture_on_commit_callbacks, status
):
    planned = EventFactory(start=in_days(5), title="Семинар ГМО")
    hidden = EventFactory(start=in_days(6), title="Скрытое событие", status=status)
    anna = EmployeeFactory(email="anna@example.org")
    client.force_login(senior)
    with django_capture_on_commit_callbacks(execute=True):
        response = _recommend_post(client, [planned, hidden], [anna])
    assert not Participation.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []
    (message,) = get_messages(response.wsgi_request)
    assert "Скрытое событие" in message.message
    assert "Семинар ГМО" not in message.message


def test_recommending_several_events_queues_a_mail_to_each_teacher_for_the_sender(
    client, senior, django_capture_on_commit_callbacks
):
    events = [EventFactory(start=in_days(5)), EventFactory(start=in_days(6))]
    teachers = [EmployeeFactory(email="anna@example.org"), EmployeeFactory(email="olga@example.org")]
    client.force_login(senior)
    with django_capture_on_commit_callbacks(execute=True):
        _recommend_post(client, events, teachers)
    assert mail.outbox == []  # the request only queues
    assert Participation.objects.filter(status=ParticipationStatus.RECOMMENDED).count() == 4
    assert send_queued() == 4
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org"] * 2 + ["olga@example.org"] * 2


@pytest.mark.parametrize("status", [ParticipationStatus.SIGNED_UP, ParticipationStatus.ABSENT])
def test_attendance_taken_back_in_the_event_inline_drops_the_sharing_follow_up(client, senior, status):
    event = EventFactory(start=in_days(-2))  # external: attending it opened a follow-up
    participation = ParticipationFactory(
        event=event, status=ParticipationStatus.ATTENDED, sharing_due=in_days(28).date()
    )
    client.force_login(senior)
    response = _post_inline_status(client, event, participation, status)
    assert response.status_code == 302, _errors(response)
    participation.refresh_from_db()
    assert participation.status == status
    assert participation.sharing_due is None


def test_attendance_taken_back_on_the_participation_form_drops_the_sharing_follow_up(client, senior):
    event = EventFactory(start=in_days(-2))
    owed = ParticipationFactory(
        event=event, status=ParticipationStatus.ATTENDED, sharing_due=in_days(28).date()
    )
    shared = ParticipationFactory(
        event=event,
        status=ParticipationStatus.ATTENDED,
        sharing_due=in_days(28).date(),
        sharing_done=in_days(-1).date(),
        sharing_account="На методобъединении",
    )
    client.force_login(senior)
    for participation in (owed, shared):
        url = reverse("admin:events_participation_change", args=[participation.pk])
        data = _change_form_data(client.get(url))
        data["status"] = ParticipationStatus.SIGNED_UP
        response = client.post(url, _flatten(data))
        assert response.status_code == 302, _errors(response)
    owed.refresh_from_db()
    shared.refresh_from_db()
    assert (owed.status, owed.sharing_due) == (ParticipationStatus.SIGNED_UP, None)
    # experience already shared is kept with its date
    assert (shared.status, shared.sharing_due) == (ParticipationStatus.SIGNED_UP, in_days(28).date())


def test_membership_period_overlapping_a_stored_one_is_refused():
    partner = OrganizationFactory()
    NetworkMembership.objects.create(organization=partner, joined="2022-09-01", left="2026-11-15")
    overlapping = NetworkMembership(organization=partner, joined=datetime.date(2026, 11, 10))
    with pytest.raises(ValidationError):
        overlapping.full_clean()
    NetworkMembership(organization=partner, joined=datetime.date(2026, 11, 16)).full_clean()


def _organization_form(organization, periods):
    data = {
        "name": organization.name,
        "short_name": "",
        "kind": organization.kind,
        "address": "",
        "contact_person": "",
        "phone": "",
        "email": "",
        "website": "",
        "memberships-TOTAL_FORMS": str(len(periods)),
        "memberships-INITIAL_FORMS": str(sum(1 for p in periods if p.get("id"))),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for n, period in enumerate(periods):
        for field in ("id", "joined", "left", "agreement_number", "agreement_date"):
            data[f"memberships-{n}-{field}"] = period.get(field, "")
        data[f"memberships-{n}-organization"] = organization.pk
    return data


def test_admin_refuses_overlapping_membership_periods(client, senior):
    partner = OrganizationFactory()
    stored = NetworkMembership.objects.create(organization=partner, joined="2022-09-01", left="2026-11-15")
    client.force_login(senior)
    url = reverse("admin:kindergarten_portal_organization_change", args=[partner.pk])
    old = {"id": stored.pk, "joined": "01.09.2022", "left": "15.11.2026"}
    response = client.post(url, _organization_form(partner, [old, {"joined": "10.11.2026"}]))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[1]["joined"]
    assert NetworkMembership.objects.filter(organization=partner).count() == 1
    # Ending the old period first and adding the new one in the same save is fine.
    response = client.post(
        url, _organization_form(partner, [old | {"left": "09.11.2026"}, {"joined": "10.11.2026"}])
    )
    assert response.status_code == 302
    assert [(m.joined, m.left) for m in NetworkMembership.objects.filter(organization=partner)] == [
        (datetime.date(2026, 11, 10), None),
        (datetime.date(2022, 9, 1), datetime.date(2026, 11, 9)),
    ]


def test_admin_labels_read_as_russian_office_words(client, senior):
    client.force_login(senior)
    form = client.get("/admin/kindergarten_portal/organization/add/").content.decode()
    assert "Название" in form and ">Имя:<" not in form
    index = client.get("/admin/").content.decode()
    assert "Записи об участии" in index and "Годовые семинары" in index
    assert "Правила начисления баллов" in index
