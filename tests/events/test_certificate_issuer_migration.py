"""events 0017–0018: every certificate on record gets the kindergarten that issued it, its event's
host, whether it is a teacher's or an external participant's."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from events.models import EventCertificate, ParticipationStatus
from events.services import certificate_issue
from tests.events.factories import EventFactory, ExternalParticipantFactory, ParticipationFactory, in_days
from tests.factories import EmployeeFactory

# Unapplying a migration on SQLite needs its foreign-key checks off, outside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("events", "0016_kindergarten_required")]


def _issued(host):
    event = EventFactory(start=in_days(-3), host=host, organizer=host, is_open=True)
    teacher = EmployeeFactory(organization=host)
    participation = ParticipationFactory(event=event, teacher=teacher, status=ParticipationStatus.ATTENDED)
    guest = ExternalParticipantFactory(event=event, attended=True)
    return [certificate_issue(participation=participation), certificate_issue(external_participant=guest)]


def test_certificates_on_file_are_issued_by_their_events_host(berezka):
    ours = EventFactory().host
    made = _issued(ours) + _issued(berezka)
    expected = {certificate.pk: certificate.issued_by_id for certificate in made}
    assert sorted(expected.values()) == sorted([ours.pk, ours.pk, berezka.pk, berezka.pk])

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # the column goes; the certificates stay
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert dict(EventCertificate._base_manager.values_list("pk", "issued_by")) == expected
