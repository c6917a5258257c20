"""The portfolio entry derived from an attended event links the attendance certificate."""

import datetime

from django.urls import reverse
from django.utils import timezone

from events.models import EventStatus, Participation
from events.services import attendance_mark
from portfolios.models import PortfolioEntry
from staff.access import staff_record
from tests.events.factories import EventFactory, ParticipationFactory


def test_entry_of_an_attended_event_links_the_certificate(client, anna, boris):
    start = timezone.make_aware(datetime.datetime(2026, 5, 15, 10, 0))
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=2), status=EventStatus.HELD)
    participation = ParticipationFactory(event=event, teacher=staff_record(anna))
    attendance_mark(participations=Participation.objects.filter(pk=participation.pk), attended=True)
    entry = PortfolioEntry.objects.get(source_type="events.participation", source_id=participation.pk)
    url = reverse("events:my_certificate", args=[participation.pk])

    client.force_login(anna)
    response = client.get(reverse("portfolios:entry_detail", args=[entry.pk]))
    assert url in response.content.decode()
    assert client.get(url)["Content-Type"] == "application/pdf"
