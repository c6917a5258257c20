"""Test data builders of the events app."""

import datetime

import factory
from django.utils import timezone

from events.models import (
    Event,
    EventFormat,
    EventStatus,
    ExternalParticipant,
    Level,
    Participation,
    ParticipationStatus,
)
from kindergarten_portal.models import Organization, OrganizationKind
from tests.factories import EmployeeFactory


def in_days(days, hour=10):
    """An aware moment `days` from today at `hour` local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Партнёр {n}")
    kind = OrganizationKind.KINDERGARTEN


def own_organization():
    return our_kindergarten(name="Наш детский сад")


def our_kindergarten(name="МБДОУ «Детский сад № 12 „Солнышко“»", **fields):
    """The organization marked as our kindergarten, made or renamed (there is at most one)."""
    own = Organization.objects.filter(is_own=True).first() or Organization(
        is_own=True, kind=OrganizationKind.KINDERGARTEN
    )
    own.name = name
    for field, value in fields.items():
        setattr(own, field, value)
    own.save()
    return own


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Семинар {n}")
    format = EventFormat.SEMINAR
    level = Level.MUNICIPAL
    organizer = factory.SubFactory(OrganizationFactory)
    host = factory.LazyFunction(lambda: Organization.objects.own_or_create())
    start = factory.LazyFunction(lambda: in_days(10))
    end = factory.LazyAttribute(lambda e: e.start + datetime.timedelta(hours=2))
    place = "ИМЦ, ауд. 12"
    status = EventStatus.PLANNED


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    teacher = factory.SubFactory(EmployeeFactory)
    status = ParticipationStatus.SIGNED_UP


class ExternalParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalParticipant

    event = factory.SubFactory(EventFactory, is_open=True)
    full_name = factory.Sequence(lambda n: f"Коллега {n}")
    organization = "МБДОУ № 15"
    position = "воспитатель"
    email = factory.Sequence(lambda n: f"colleague{n}@example.org")
    consent = True
    consent_at = factory.LazyFunction(timezone.now)
