"""The portal's one outbox: queued once by key, sent only by the sender and marked sent after the
server took it, a refused send retried with a growing wait and given up after the last attempt, and
every mail worded by its template pair under templates/emails/."""

import datetime
import io
import threading
import time

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from events import notifications
from events.models import ExternalParticipant
from events.services import external_register
from kindergarten_portal.mail.outbox import (
    SendResult,
    outbox_queue,
    outbox_queue_again,
    outbox_render,
    outbox_send_due,
)
from kindergarten_portal.models import OutboxMessage, OutboxStatus
from tests.events.factories import EventFactory, ParticipationFactory
from tests.factories import EmployeeFactory
from tests.outbox import send_queued

pytestmark = pytest.mark.django_db


def _queue(key="test:1", **overrides):
    fields = dict(
        kind="tests.reminder",
        key=key,
        recipient="anna@sad.example",
        template="reminder",
        context={"event": EventFactory(title="Семинар ГМО"), "url": "https://portal.example.org/events/my/"},
    )
    return outbox_queue(**{**fields, **overrides})


def test_queueing_the_same_key_twice_keeps_one_message():
    first = _queue()
    assert first is not None
    assert _queue() is None
    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().subject == "Завтра: Семинар ГМО"


def test_no_address_queues_nothing():
    assert _queue(recipient="") is None
    assert not OutboxMessage.objects.exists()


def test_no_request_sends_a_queued_message_the_sender_does(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _queue()
    assert mail.outbox == []  # not even once the transaction commits
    assert OutboxMessage.objects.get().status == OutboxStatus.QUEUED

    assert send_queued() == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [(["anna@sad.example"], "Завтра: Семинар ГМО")]
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 1, "")
    assert message.sent_at is not None
    assert send_queued() == 0
    assert len(mail.outbox) == 1


def test_a_send_that_raised_leaves_the_message_queued_with_its_error(settings, caplog):
    settings.EMAIL_BACKEND = "tests.outbox.BrokenSMTPBackend"
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC), tick=False):
        message = _queue()
        assert outbox_send_due() == SendResult(sent=0, failed=0, retry=1)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == (OutboxStatus.QUEUED, 1, None)
    assert message.last_error == "Connection unexpectedly closed"
    assert message.next_attempt_at == datetime.datetime(2026, 3, 2, 10, 1, tzinfo=datetime.UTC)
    assert "not sent" in caplog.text
    assert mail.outbox == []


def test_a_refused_message_is_retried_only_once_its_wait_is_over(settings):
    settings.EMAIL_BACKEND = "tests.outbox.BrokenSMTPBackend"
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        message = _queue()
        send_queued()  # refused: the next attempt in 1 minute
        clock.move_to(start + datetime.timedelta(seconds=50))
        assert outbox_send_due() == SendResult()  # not yet due
        clock.move_to(start + datetime.timedelta(minutes=1))
        assert outbox_send_due() == SendResult(retry=1)  # refused again: wait 5 minutes
        message.refresh_from_db()
        assert message.attempts == 2
        assert message.next_attempt_at == start + datetime.timedelta(minutes=6)

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
        clock.move_to(start + datetime.timedelta(minutes=5))
        assert send_queued() == 0
        clock.move_to(start + datetime.timedelta(minutes=6))
        assert send_queued() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 3, "")
    assert message.sent_at == start + datetime.timedelta(minutes=6)
    assert [m.subject for m in mail.outbox] == ["Завтра: Семинар ГМО"]


def test_the_back_off_grows_and_the_sender_gives_up_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = "tests.outbox.BrokenSMTPBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 5
    at = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    waits = []
    with time_machine.travel(at, tick=False) as clock:
        message = _queue()
        for _attempt in range(4):
            assert outbox_send_due() == SendResult(retry=1)
            message.refresh_from_db()
            waits.append(message.next_attempt_at - at)
            at = message.next_attempt_at
            clock.move_to(at)
        assert outbox_send_due() == SendResult(failed=1)
        clock.move_to(at + datetime.timedelta(days=30))
        assert outbox_send_due() == SendResult()  # given up: never tried again
    assert waits == [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120)]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 5)
    assert message.last_error == "Connection unexpectedly closed"


def test_one_refused_message_does_not_hold_up_the_others(settings):
    for n in range(3):
        _queue(key=f"test:{n}", recipient=f"t{n}@sad.example")
    OutboxMessage.objects.filter(key="test:1").update(link_user_id=999_999)  # an account since deleted
    assert outbox_send_due() == SendResult(sent=2, failed=1)
    assert sorted(m.to[0] for m in mail.outbox) == ["t0@sad.example", "t2@sad.example"]
    gone = OutboxMessage.objects.get(key="test:1")
    assert gone.status == OutboxStatus.FAILED and "no longer exists" in gone.last_error


def test_a_given_up_message_queued_again_is_sent_by_the_next_run(settings):
    message = _queue()
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED, attempts=8)
    assert send_queued() == 0
    assert outbox_queue_again(messages=OutboxMessage.objects.all()) == 1
    assert send_queued() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)


def test_the_command_says_what_it_did_in_russian(settings):
    _queue(key="test:1")
    _queue(key="test:2", recipient="boris@sad.example")
    out = io.StringIO()
    call_command("send_mail_queue", stdout=out)
    assert (
        out.getvalue()
        == "Отправлено писем: 2, не отправлено (попытки исчерпаны): 0, оставлено для повтора: 0.\n"
    )
    settings.EMAIL_BACKEND = "tests.outbox.BrokenSMTPBackend"
    _queue(key="test:3")
    out = io.StringIO()
    call_command("send_mail_queue", stdout=out)
    assert (
        out.getvalue()
        == "Отправлено писем: 0, не отправлено (попытки исчерпаны): 0, оставлено для повтора: 1.\n"
    )


def test_russian_text_with_guillemets_and_ampersands_survives_rendering():
    event = EventFactory(
        title="Игра & сказка: «Теремок»",
        start=timezone.make_aware(datetime.datetime(2026, 5, 14, 15, 30)),
        place="ДОУ № 12 <актовый зал>",
    )
    subject, body = outbox_render(
        template="registration_confirmed",
        context={"event": event, "external": ExternalParticipant(full_name="Петрова О. И.")},
    )
    assert subject == "Регистрация подтверждена: Игра & сказка: «Теремок»"
    assert body == (
        "Здравствуйте, Петрова О. И.!\n\n"
        "Вы зарегистрированы на мероприятие «Игра & сказка: „Теремок“».\n"
        "Проводит: МБДОУ «Детский сад»\n"
        "Когда: 14.05.2026 15:30\n"
        "Место: ДОУ № 12 <актовый зал>\n\n"
        "Ждём вас!\n"
    )


def test_the_mail_is_worded_by_its_template_file(settings, tmp_path):
    """A newcomer changing the waiting-list mail edits templates/emails/place_freed*.txt only."""
    own = tmp_path / "emails"
    own.mkdir()
    (own / "place_freed_subject.txt").write_text(
        "Для вас нашлось место: {{ event.title }}\n", encoding="utf-8"
    )
    (own / "place_freed.txt").write_text("Приходите на «{{ event.title }}».\n", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    participation = ParticipationFactory(
        event=EventFactory(title="Круглый стол"), teacher=EmployeeFactory(email="next@sad.example")
    )
    notifications.queue_place_freed(participation)
    message = OutboxMessage.objects.get(kind=notifications.PLACE_FREED)
    assert message.subject == "Для вас нашлось место: Круглый стол"
    assert message.body == "Приходите на «Круглый стол».\n"


def test_registration_confirmation_is_queued_with_the_colleagues_address():
    event = EventFactory(is_open=True, title="Открытый показ")
    external = external_register(
        event=event,
        email="petrova@example.org",
        full_name="Петрова Ольга",
        organization="ДОУ 15",
        position="воспитатель",
        consent=True,
    )
    message = OutboxMessage.objects.get()
    assert (message.kind, message.key, message.recipient) == (
        notifications.REGISTRATION,
        f"registration:{external.pk}",
        "petrova@example.org",
    )
    assert message.body.startswith("Здравствуйте, Петрова Ольга!\n")


@pytest.mark.django_db(transaction=True)
def test_a_message_another_sender_is_sending_is_skipped_not_sent_twice(requires_postgres):
    held = _queue(key="test:1")
    _queue(key="test:2", recipient="boris@sad.example")
    locked, release = threading.Event(), threading.Event()

    def other_sender():
        # Another sender's transaction that claimed the first message and is still sending it.
        with transaction.atomic():
            OutboxMessage.objects.select_for_update().get(pk=held.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_sender)
    thread.start()
    try:
        assert locked.wait(10)
        assert outbox_send_due() == SendResult(sent=1)
    finally:
        release.set()
        thread.join()
    assert [m.to for m in mail.outbox] == [["boris@sad.example"]]
    assert OutboxMessage.objects.get(pk=held.pk).status == OutboxStatus.QUEUED


@pytest.mark.django_db(transaction=True)  # the worker closes stale connections, as outside a test
def test_the_loop_worker_sends_what_is_queued_between_its_pauses(monkeypatch, settings):
    settings.OUTBOX_LOOP_SECONDS = 7
    pauses = []

    def pause(seconds):
        pauses.append(seconds)
        if len(pauses) == 1:
            _queue(key="test:2", recipient="boris@sad.example")  # queued while the worker waits
        else:
            raise KeyboardInterrupt  # the worker is stopped

    monkeypatch.setattr(time, "sleep", pause)
    _queue(key="test:1")
    out = io.StringIO()
    call_command("send_mail_queue", "--loop", stdout=out)
    assert pauses == [7, 7]
    assert [m.to for m in mail.outbox] == [["anna@sad.example"], ["boris@sad.example"]]
    line = "Отправлено писем: 1, не отправлено (попытки исчерпаны): 0, оставлено для повтора: 0.\n"
    assert out.getvalue() == line * 2
