"""kindergarten_portal 0002 copies every row of the events' old outbox before events 0003 drops it."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kindergarten_portal.models import OutboxMessage

pytestmark = pytest.mark.django_db

BEFORE = [("kindergarten_portal", "0001_initial"), ("events", "0002_alter_participation_options")]


def _at(*args):
    return timezone.make_aware(datetime.datetime(*args))


def test_events_notifications_are_copied_into_the_outbox(requires_postgres):
    with connection.cursor() as cursor:
        # The test runs in one transaction; PostgreSQL drops a table only without pending FK checks.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Notification = old_apps.get_model("events", "Notification")
    sent = Notification.objects.create(
        kind="reminder",
        key="reminder:7:2026-03-10",
        recipient="anna@sad.example",
        subject="Завтра: Семинар",
        body="Напоминаем: завтра…",
        sent_at=_at(2026, 3, 9, 12, 5),
    )
    refused = Notification.objects.create(
        kind="place_freed",
        key="place_freed:8:1773043200.0",
        recipient="gone@sad.example",
        subject="Место за вами: Круглый стол",
        body="На мероприятии «Круглый стол» освободилось место",
        error="(550, 'No such user')",
    )
    Notification.objects.filter(pk=sent.pk).update(created_at=_at(2026, 3, 9, 12, 0))
    Notification.objects.filter(pk=refused.pk).update(created_at=_at(2026, 3, 8, 9, 0))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    rows = list(
        OutboxMessage.objects.order_by("key").values_list(
            "kind", "key", "recipient", "subject", "body", "created_at", "sent_at", "last_error", "attempts"
        )
    )
    assert rows == [
        (
            "events.place_freed",
            "place_freed:8:1773043200.0",
            "gone@sad.example",
            "Место за вами: Круглый стол",
            "На мероприятии «Круглый стол» освободилось место",
            _at(2026, 3, 8, 9, 0),
            None,
            "(550, 'No such user')",
            1,
        ),
        (
            "events.reminder",
            "reminder:7:2026-03-10",
            "anna@sad.example",
            "Завтра: Семинар",
            "Напоминаем: завтра…",
            _at(2026, 3, 9, 12, 0),
            _at(2026, 3, 9, 12, 5),
            "",
            1,
        ),
    ]
    assert "events_notification" not in connection.introspection.table_names()
