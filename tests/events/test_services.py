import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from events import notifications, services
from events.models import (
    EducationalArea,
    Event,
    EventStatus,
    Participation,
    ParticipationStatus,
    RecommendationReason,
)
from kindergarten_portal.models import OutboxMessage
from staff.models import Employee
from tests.events.factories import (
    EventFactory,
    ExternalParticipantFactory,
    ParticipationFactory,
    in_days,
    own_organization,
)
from tests.factories import EmployeeFactory, teacher_user

pytestmark = pytest.mark.django_db


def test_sign_up_with_free_place_is_signed_up():
    event = EventFactory(capacity=2)
    teacher = EmployeeFactory()
    participation = services.participation_sign_up(event=event, teacher=teacher)
    assert participation.status == ParticipationStatus.SIGNED_UP
    assert services.places_taken(event) == 1


def test_sign_up_when_full_goes_to_waiting_list():
    event = EventFactory(capacity=1)
    services.participation_sign_up(event=event, teacher=EmployeeFactory())
    second = services.participation_sign_up(event=event, teacher=EmployeeFactory())
    assert second.status == ParticipationStatus.WAITING
    assert services.places_taken(event) == 1


def test_external_registrations_take_places_too():
    event = EventFactory(capacity=1, is_open=True)
    ExternalParticipantFactory(event=event)
    participation = services.participation_sign_up(event=event, teacher=EmployeeFactory())
    assert participation.status == ParticipationStatus.WAITING


def test_sign_up_after_deadline_is_refused():
    event = EventFactory(start=in_days(5), signup_deadline=in_days(-1))
    with pytest.raises(ValidationError, match="Срок записи истёк"):
        services.participation_sign_up(event=event, teacher=EmployeeFactory())
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    "status,message",
    [
        (EventStatus.CANCELLED, "Мероприятие отменено"),
        (EventStatus.HELD, "Мероприятие уже прошло"),
        (EventStatus.DRAFT, "Запись на это мероприятие не открыта"),
    ],
)
def test_sign_up_to_closed_event_is_refused(status, message):
    event = EventFactory(status=status)
    with pytest.raises(ValidationError, match=message):
        services.participation_sign_up(event=event, teacher=EmployeeFactory())


def test_sign_up_twice_is_refused():
    event = EventFactory()
    teacher = EmployeeFactory()
    services.participation_sign_up(event=event, teacher=teacher)
    with pytest.raises(ValidationError, match="Вы уже записаны"):
        services.participation_sign_up(event=event, teacher=teacher)
    assert Participation.objects.filter(event=event, teacher=teacher).count() == 1


def test_sign_up_after_cancelling_reuses_the_row():
    event = EventFactory()
    teacher = EmployeeFactory()
    participation = services.participation_sign_up(event=event, teacher=teacher)
    services.participation_cancel(participation=participation)
    again = services.participation_sign_up(event=event, teacher=teacher)
    assert again.pk == participation.pk
    assert again.status == ParticipationStatus.SIGNED_UP


def test_cancel_gives_the_place_to_the_first_in_line_who_is_told():
    event = EventFactory(capacity=1)
    first = services.participation_sign_up(event=event, teacher=EmployeeFactory(email="first@example.org"))
    waiting_1 = services.participation_sign_up(
        event=event, teacher=EmployeeFactory(email="w1@example.org"), now=timezone.now()
    )
    waiting_2 = services.participation_sign_up(
        event=event,
        teacher=EmployeeFactory(email="w2@example.org"),
        now=timezone.now() + datetime.timedelta(seconds=1),
    )
    promoted = services.participation_cancel(participation=first)
    assert promoted.pk == waiting_1.pk
    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert waiting_1.status == ParticipationStatus.SIGNED_UP
    assert waiting_2.status == ParticipationStatus.WAITING
    notice = OutboxMessage.objects.get(kind=notifications.PLACE_FREED)
    assert notice.recipient == "w1@example.org"
    assert event.title in notice.body


def test_leaving_the_waiting_list_promotes_nobody():
    event = EventFactory(capacity=1)
    services.participation_sign_up(event=event, teacher=EmployeeFactory())
    waiting = services.participation_sign_up(event=event, teacher=EmployeeFactory())
    assert services.participation_cancel(participation=waiting) is None
    assert not OutboxMessage.objects.filter(kind=notifications.PLACE_FREED).exists()


def test_cancel_after_deadline_is_refused():
    event = EventFactory(start=in_days(3))
    participation = services.participation_sign_up(event=event, teacher=EmployeeFactory())
    Event.objects.filter(pk=event.pk).update(signup_deadline=in_days(-1))
    with pytest.raises(ValidationError, match="Отменить запись уже нельзя"):
        services.participation_cancel(participation=participation)
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.SIGNED_UP


def test_larger_capacity_fills_from_waiting_list():
    event = EventFactory(capacity=1)
    services.participation_sign_up(event=event, teacher=EmployeeFactory())
    waiting = services.participation_sign_up(event=event, teacher=EmployeeFactory())
    Event.objects.filter(pk=event.pk).update(capacity=2)
    promoted = services.event_fill_from_waiting_list(event=event)
    assert [p.pk for p in promoted] == [waiting.pk]


def test_end_before_start_is_refused():
    event = EventFactory.build(organizer=own_organization(), start=in_days(3), end=in_days(2))
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "end" in exc.value.message_dict


def test_end_before_start_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(start=in_days(3), end=in_days(2))


def test_recommend_creates_recommendation_and_notifies(senior):
    event = EventFactory()
    anna = EmployeeFactory(email="anna@example.org")
    already = EmployeeFactory()
    signed = services.participation_sign_up(event=event, teacher=already)
    rows = services.recommend(
        event=event,
        teachers=[anna, already],
        reason=RecommendationReason.DIFFICULTY,
        area=EducationalArea.SPEECH,
        comment="Диалогическая речь",
        recommended_by=senior,
    )
    assert {p.teacher_id for p in rows} == {anna.pk, already.pk}
    fresh = Participation.objects.get(event=event, teacher=anna)
    assert fresh.status == ParticipationStatus.RECOMMENDED
    assert fresh.recommendation_area == EducationalArea.SPEECH
    assert fresh.recommended_by == senior
    signed.refresh_from_db()
    assert signed.status == ParticipationStatus.SIGNED_UP  # keeps her place
    assert services.places_taken(event) == 1  # a recommendation takes no place
    notice = OutboxMessage.objects.get(kind=notifications.RECOMMENDATION, recipient="anna@example.org")
    assert "Диалогическая речь" in notice.body


def test_recommend_for_difficulty_needs_an_area(senior):
    with pytest.raises(ValidationError):
        services.recommend(
            event=EventFactory(),
            teachers=[EmployeeFactory()],
            reason=RecommendationReason.DIFFICULTY,
            recommended_by=senior,
        )
    assert not Participation.objects.exists()


def test_recommended_teacher_signs_up_on_the_same_row(senior):
    event = EventFactory()
    teacher = EmployeeFactory()
    (recommended,) = services.recommend(
        event=event, teachers=[teacher], reason=RecommendationReason.OPEN_EVENT, recommended_by=senior
    )
    participation = services.participation_sign_up(event=event, teacher=teacher)
    assert participation.pk == recommended.pk
    assert participation.status == ParticipationStatus.SIGNED_UP
    assert participation.recommendation_reason == RecommendationReason.OPEN_EVENT


def test_attendance_of_external_event_opens_sharing_follow_up():
    event = EventFactory(start=timezone.make_aware(datetime.datetime(2026, 10, 5, 10, 0)))
    participation = ParticipationFactory(event=event)
    services.attendance_mark(participations=Participation.objects.filter(pk=participation.pk), attended=True)
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ATTENDED
    assert participation.sharing_due == datetime.date(2026, 11, 4)  # 30 days after the event


def test_attendance_of_internal_event_opens_no_follow_up():
    event = EventFactory(start=in_days(-2), organizer=own_organization())
    participation = ParticipationFactory(event=event)
    services.attendance_mark(participations=Participation.objects.filter(pk=participation.pk), attended=True)
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ATTENDED
    assert participation.sharing_due is None


def test_attendance_of_future_event_is_refused():
    participation = ParticipationFactory(event=EventFactory(start=in_days(2)))
    with pytest.raises(ValidationError, match="только после начала мероприятия"):
        services.attendance_mark(participations=Participation.objects.all(), attended=True)
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.SIGNED_UP


def test_sharing_done_needs_date_not_in_future():
    event = EventFactory(start=in_days(-5), status=EventStatus.HELD)
    participation = ParticipationFactory(
        event=event, status=ParticipationStatus.ATTENDED, sharing_due=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        services.sharing_mark_done(
            participation=participation,
            done_on=timezone.localdate() + datetime.timedelta(days=1),
            account="x",
        )
    services.sharing_mark_done(participation=participation, done_on=timezone.localdate(), account=" Педчас ")
    participation.refresh_from_db()
    assert participation.sharing_done == timezone.localdate()
    assert participation.sharing_account == "Педчас"
    with pytest.raises(ValidationError, match="Трансляция опыта уже отмечена"):
        services.sharing_mark_done(participation=participation, done_on=timezone.localdate(), account="again")


def test_external_register_rejects_duplicate_email_in_any_case():
    event = EventFactory(is_open=True)
    fields = dict(full_name="Петрова", organization="ДОУ 15", position="воспитатель", consent=True)
    services.external_register(event=event, email="Petrova@Example.org", **fields)
    with pytest.raises(ValidationError) as exc:
        services.external_register(event=event, email="petrova@example.ORG ", **fields)
    assert "email" in exc.value.message_dict
    assert event.external_participants.count() == 1
    confirmation = OutboxMessage.objects.get(kind=notifications.REGISTRATION)
    assert confirmation.recipient == "petrova@example.org"


def test_external_register_respects_capacity_and_openness():
    fields = dict(full_name="П", organization="О", position="в", consent=True)
    full = EventFactory(is_open=True, capacity=1)
    services.external_register(event=full, email="a@example.org", **fields)
    with pytest.raises(ValidationError, match="Свободных мест нет"):
        services.external_register(event=full, email="b@example.org", **fields)
    with pytest.raises(ValidationError, match="не открыто для партнёров"):
        services.external_register(event=EventFactory(is_open=False), email="c@example.org", **fields)


def test_event_copy_is_a_draft_without_participants():
    event = EventFactory(capacity=5)
    partner = own_organization()
    event.co_organizers.add(partner)
    ParticipationFactory(event=event)
    copy = services.event_copy(event=event)
    assert copy.pk != event.pk
    assert copy.status == EventStatus.DRAFT
    assert copy.capacity == 5
    assert list(copy.co_organizers.all()) == [partner]
    assert not copy.participations.exists()


def test_calendar_token_regenerate_revokes_the_old_one():
    employee = EmployeeFactory()
    old = services.calendar_token_get(employee=employee).token
    assert services.calendar_token_get(employee=employee).token == old
    new = services.calendar_token_regenerate(employee=employee).token
    assert new != old


@pytest.mark.django_db(transaction=True)
def test_two_teachers_taking_the_last_place_at_once_never_overbook(requires_postgres):
    """Concurrent sign-up requests on PostgreSQL: the event row lock serializes them."""
    event = EventFactory(capacity=1)
    clients = []
    for name in ("race1", "race2", "race3", "race4"):
        client = Client()
        client.force_login(teacher_user(name))
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    statuses = []

    def sign_up(client):
        try:
            barrier.wait()
            response = client.post(reverse("events:sign_up", args=[event.pk]))
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * len(clients)
    rows = Participation.objects.filter(event=event)
    assert rows.filter(status=ParticipationStatus.SIGNED_UP).count() == 1
    assert rows.filter(status=ParticipationStatus.WAITING).count() == len(clients) - 1


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.HELD, EventStatus.CANCELLED])
def test_recommend_refuses_an_event_teachers_cannot_see(senior, status):
    event = EventFactory(status=status, title="Черновик семинара")
    with pytest.raises(ValidationError) as exc:
        services.recommend(
            event=event,
            teachers=[EmployeeFactory()],
            reason=RecommendationReason.OPEN_EVENT,
            recommended_by=senior,
        )
    assert "Черновик семинара" in exc.value.messages[0]
    assert not Participation.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_recommend_events_checks_every_event_before_recommending_any(senior):
    planned, draft = EventFactory(), EventFactory(status=EventStatus.DRAFT)
    with pytest.raises(ValidationError):
        services.recommend_events(
            events=[planned, draft],
            teachers=[EmployeeFactory()],
            reason=RecommendationReason.OPEN_EVENT,
            recommended_by=senior,
        )
    assert not Participation.objects.exists()


def _dismissed(**fields):
    return EmployeeFactory(dismissal_date=timezone.localdate() - datetime.timedelta(days=1), **fields)


def test_sign_up_of_a_dismissed_teacher_is_refused():
    event = EventFactory(capacity=5)
    with pytest.raises(ValidationError):
        services.participation_sign_up(event=event, teacher=_dismissed())
    assert not Participation.objects.exists()
    # one leaving at the end of the month is still on the staff today
    leaving = EmployeeFactory(dismissal_date=timezone.localdate() + datetime.timedelta(days=20))
    assert (
        services.participation_sign_up(event=event, teacher=leaving).status == ParticipationStatus.SIGNED_UP
    )


def test_a_freed_place_skips_a_dismissed_teacher_on_the_waiting_list():
    event = EventFactory(capacity=1)
    leaving = ParticipationFactory(event=event)
    gone = ParticipationFactory(event=event, status=ParticipationStatus.WAITING, teacher=_dismissed())
    gone.status_changed_at = timezone.now() - datetime.timedelta(days=2)  # first in line
    gone.save()
    next_in_line = ParticipationFactory(event=event, status=ParticipationStatus.WAITING)
    promoted = services.participation_cancel(participation=leaving)
    assert promoted == next_in_line
    gone.refresh_from_db()
    assert gone.status == ParticipationStatus.WAITING


# ---- a dismissed teacher's places are released


def test_release_for_dismissed_cancels_what_is_ahead_and_gives_the_place_to_the_first_in_line():
    full = EventFactory(capacity=1, title="Семинар ГМО")
    gone = _dismissed()
    held = ParticipationFactory(event=full, teacher=gone)
    first_in_line = ParticipationFactory(
        event=full, status=ParticipationStatus.WAITING, teacher=EmployeeFactory(email="next@example.org")
    )
    waits = ParticipationFactory(
        event=EventFactory(capacity=1), teacher=gone, status=ParticipationStatus.WAITING
    )
    recommended = ParticipationFactory(
        event=EventFactory(), teacher=gone, status=ParticipationStatus.RECOMMENDED
    )
    # the deadline has passed, but she will not come: her place still goes to the waiting list
    closed = EventFactory(start=in_days(2), signup_deadline=in_days(-1))
    late = ParticipationFactory(event=closed, teacher=gone)

    cancelled = services.participations_release_for_dismissed(employee=gone)

    assert {p.pk for p in cancelled} == {held.pk, waits.pk, recommended.pk, late.pk}
    for participation in (held, waits, recommended, late):
        participation.refresh_from_db()
        assert participation.status == ParticipationStatus.CANCELLED
    first_in_line.refresh_from_db()
    assert first_in_line.status == ParticipationStatus.SIGNED_UP
    notice = OutboxMessage.objects.get(kind=notifications.PLACE_FREED)
    assert notice.recipient == "next@example.org"
    assert "Семинар ГМО" in notice.body
    assert services.participations_release_for_dismissed(employee=gone) == []  # nothing left the second time


def test_release_for_dismissed_keeps_past_and_attended_participations():
    gone = _dismissed()
    attended = ParticipationFactory(
        event=EventFactory(start=in_days(-3), status=EventStatus.HELD),
        teacher=gone,
        status=ParticipationStatus.ATTENDED,
        sharing_due=in_days(20).date(),
    )
    not_marked_yet = ParticipationFactory(event=EventFactory(start=in_days(-1)), teacher=gone)
    already_started = ParticipationFactory(
        event=EventFactory(start=timezone.now() - datetime.timedelta(minutes=30)), teacher=gone
    )
    assert services.participations_release_for_dismissed(employee=gone) == []
    attended.refresh_from_db()
    assert attended.status == ParticipationStatus.ATTENDED
    assert attended.sharing_due == in_days(20).date()
    for participation in (not_marked_yet, already_started):
        participation.refresh_from_db()
        assert participation.status == ParticipationStatus.SIGNED_UP


def test_release_for_dismissed_leaves_current_staff_alone():
    leaving = EmployeeFactory(dismissal_date=timezone.localdate() + datetime.timedelta(days=1))
    participation = ParticipationFactory(event=EventFactory(start=in_days(5)), teacher=leaving)
    assert services.participations_release_for_dismissed(employee=leaving) == []
    # the day she leaves, she is no longer on the staff
    on_the_day = in_days(1, hour=8)
    (cancelled,) = services.participations_release_for_dismissed(employee=leaving, now=on_the_day)
    assert cancelled.pk == participation.pk
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.CANCELLED
    assert participation.status_changed_at == on_the_day


def test_release_dismissed_finds_everyone_whose_day_has_come():
    event = EventFactory(capacity=3, start=in_days(10))
    gone, leaving, staying = _dismissed(), EmployeeFactory(), EmployeeFactory()
    for teacher in (gone, leaving, staying):
        ParticipationFactory(event=event, teacher=teacher)
    waiting = ParticipationFactory(event=event, status=ParticipationStatus.WAITING)
    # entered without a save signal, as a bulk update would
    Employee.objects.filter(pk=gone.pk).update(dismissal_date=timezone.localdate())
    Employee.objects.filter(pk=leaving.pk).update(
        dismissal_date=timezone.localdate() + datetime.timedelta(days=3)
    )
    assert len(services.participations_release_dismissed().cancelled) == 1
    assert services.participations_release_dismissed().cancelled == []
    statuses = dict(Participation.objects.filter(event=event).values_list("teacher_id", "status"))
    assert statuses == {
        gone.pk: ParticipationStatus.CANCELLED,
        leaving.pk: ParticipationStatus.SIGNED_UP,
        staying.pk: ParticipationStatus.SIGNED_UP,
        waiting.teacher_id: ParticipationStatus.SIGNED_UP,
    }
    assert len(services.participations_release_dismissed(now=in_days(3, hour=8)).cancelled) == 1


# ---- recommendations are for current staff only


def test_recommend_refuses_a_teacher_no_longer_on_the_staff(senior):
    event = EventFactory()
    gone = _dismissed(surname="Ушедшая")
    staying = EmployeeFactory()
    for call in (services.recommend, services.recommend_events):
        target = {"event": event} if call is services.recommend else {"events": [event]}
        with (
            translation.override("en"),
            pytest.raises(ValidationError, match="no longer on the staff") as exc,
        ):
            call(
                **target,
                teachers=[staying, gone],
                reason=RecommendationReason.OPEN_EVENT,
                recommended_by=senior,
            )
        assert "Ушедшая" in exc.value.messages[0]
    assert not Participation.objects.exists()
    assert not OutboxMessage.objects.exists()
    # one leaving at the end of the month is still on the staff today
    leaving = EmployeeFactory(dismissal_date=timezone.localdate() + datetime.timedelta(days=20))
    (row,) = services.recommend(
        event=event, teachers=[leaving], reason=RecommendationReason.OPEN_EVENT, recommended_by=senior
    )
    assert row.status == ParticipationStatus.RECOMMENDED


def test_attendance_unmark_drops_an_open_sharing_follow_up_only():
    event = EventFactory(start=in_days(-2), status=EventStatus.HELD)
    owed = ParticipationFactory(
        event=event, status=ParticipationStatus.ATTENDED, sharing_due=in_days(28).date()
    )
    shared = ParticipationFactory(
        event=event,
        status=ParticipationStatus.ATTENDED,
        sharing_due=in_days(28).date(),
        sharing_done=in_days(-1).date(),
        sharing_account="На педсовете",
    )
    assert services.attendance_unmark(participations=Participation.objects.filter(event=event)) == 2
    owed.refresh_from_db()
    shared.refresh_from_db()
    assert (owed.status, owed.sharing_due) == (ParticipationStatus.SIGNED_UP, None)
    assert (shared.status, shared.sharing_due) == (ParticipationStatus.SIGNED_UP, in_days(28).date())
    with pytest.raises(ValueError):
        services.attendance_unmark(
            participations=Participation.objects.all(), status=ParticipationStatus.ATTENDED
        )
