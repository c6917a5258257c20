"""The portal's one outbox: queued once by key, sent once after commit, a refused send kept for the
next run, and every mail worded by its template pair under templates/emails/."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from events import notifications
from events.models import ExternalParticipant
from events.services import external_register
from kindergarten_portal.models import OutboxMessage
from kindergarten_portal.outbox import outbox_deliver, outbox_queue, outbox_render, outbox_send_pending
from tests.events.factories import EventFactory, ParticipationFactory
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


class BrokenSMTPBackend(BaseEmailBackend):
    """A mail server that is down: every send fails the way smtplib fails."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


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


def test_a_queued_message_is_sent_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _queue()
        assert mail.outbox == []  # not before the commit
    assert [(m.to, m.subject) for m in mail.outbox] == [(["anna@sad.example"], "Завтра: Семинар ГМО")]
    message = OutboxMessage.objects.get()
    assert message.sent_at is not None and message.attempts == 1
    assert outbox_send_pending() == 0
    assert len(mail.outbox) == 1


def test_deliver_claims_before_sending():
    message = _queue()
    assert outbox_deliver(message=message) is True
    assert outbox_deliver(message=message) is False
    assert len(mail.outbox) == 1


def test_a_refused_send_is_kept_with_its_error_and_sent_once_by_a_later_run(settings, caplog):
    message = _queue()
    settings.EMAIL_BACKEND = f"{__name__}.BrokenSMTPBackend"
    assert outbox_send_pending() == 0
    message.refresh_from_db()
    assert message.sent_at is None
    assert message.error == "Connection unexpectedly closed"
    assert message.attempts == 1
    assert "not sent" in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_send_pending() == 1
    assert outbox_send_pending() == 0
    message.refresh_from_db()
    assert message.sent_at is not None and message.error == "" and message.attempts == 2
    assert [m.subject for m in mail.outbox] == ["Завтра: Семинар ГМО"]


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
