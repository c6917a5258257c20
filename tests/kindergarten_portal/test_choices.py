"""get_FOO_display() through kindergarten_portal.choices.ChoiceLabels: the same answers as Django's."""

import pytest
from django.db import models
from django.utils import translation

from events.models import Event, EventFormat, Level
from kindergarten_portal.choices import ChoiceLabels
from portfolios.models import EntryStatus, PortfolioEntry

pytestmark = pytest.mark.django_db  # the suite's autouse fixtures clear the database cache


def test_labels_follow_the_active_language():
    event = Event(format=EventFormat.SEMINAR, level=Level.REGIONAL)
    with translation.override("ru"):
        assert event.get_format_display() == "семинар"
    with translation.override("en"):
        assert event.get_format_display() == "seminar"
        assert event.get_level_display() == str(Level.REGIONAL.label)
    with translation.override("ru"):  # the dict kept the lazy labels, not the English text
        assert event.get_format_display() == "семинар"


def test_a_value_without_a_choice_is_shown_as_it_is_stored():
    entry = PortfolioEntry(status="archived")
    assert entry.get_status_display() == "archived"
    entry.status = EntryStatus.APPROVED
    with translation.override("en"):
        assert entry.get_status_display() == "approved"


def test_same_answers_as_djangos_own_for_every_choice():
    event = Event()
    for value, _label in EventFormat.choices:
        event.format = value
        with translation.override("ru"):
            assert event.get_format_display() == models.Model._get_FIELD_display(
                event, Event._meta.get_field("format")
            )


def test_the_portal_models_that_show_choices_use_it():
    for model in (Event, PortfolioEntry):
        assert issubclass(model, ChoiceLabels)
