"""portfolios 0008 names the derived entries already on file by what she did: an event she ran by
its form, experience she shared as shared experience; and back again when unapplied."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from events.models import EventFormat, ParticipationRole, ParticipationStatus
from portfolios.models import EntryKind, PortfolioEntry
from tests.events.factories import EventFactory, ParticipationFactory
from tests.factories import EmployeeFactory

# Unapplying a migration on SQLite needs its foreign-key checks off, outside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("portfolios", "0007_entry_status_date_index")]


def _ran(event_format):
    return ParticipationFactory(
        event=EventFactory(format=event_format),
        teacher=EmployeeFactory(),
        role=ParticipationRole.OPEN_SHOW_PRESENTER,
        status=ParticipationStatus.ATTENDED,
    )


def _kind(source_type, participation):
    # Columns by name: at 0007 the table lacks those later migrations add to the model.
    entries = PortfolioEntry.objects.filter(source_type=source_type, source_id=participation.pk)
    return entries.values_list("kind", flat=True).get()


def test_entries_on_file_are_named_by_the_event_form():
    consultation, master_class, conference = (
        _ran(EventFormat.CONSULTATION),
        _ran(EventFormat.MASTER_CLASS),
        _ran(EventFormat.CONFERENCE),
    )
    shared = _ran(EventFormat.SEMINAR)
    shared.sharing_done = shared.event.start.date()
    shared.sharing_account = "Консультация для воспитателей на педагогическом часе"
    shared.save()
    kept = _ran(EventFormat.WEBINAR)
    kept_entry = PortfolioEntry.objects.get(source_type="events.participation", source_id=kept.pk)
    # An approved entry whose participation was deleted keeps its name: its event's form is gone.
    # (Deleted before unapplying: at 0007 the table lacks columns later migrations add to the model.)
    kept.delete()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    assert _kind("events.participation", consultation) == "open_event"  # as it was named before
    assert _kind("events.participation", master_class) == "master_class"
    assert _kind("events.sharing", shared) == "open_event"
    PortfolioEntry.objects.filter(pk=kept_entry.pk).update(kind="open_event")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert _kind("events.participation", consultation) == EntryKind.CONSULTATION
    assert _kind("events.participation", master_class) == EntryKind.MASTER_CLASS
    assert _kind("events.participation", conference) == EntryKind.OPEN_EVENT
    assert _kind("events.sharing", shared) == EntryKind.EXPERIENCE_SHARED
    kept_entry.refresh_from_db()
    assert (kept_entry.kind, kept_entry.source_deleted) == (EntryKind.OPEN_EVENT, True)
