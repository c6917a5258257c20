"""Partners' personal data: the consent names the operator, purpose, data and term; the privacy
policy is public; the data go after the term and the counts stay."""

import datetime
import io

import pytest
from django.core.management import call_command

from events.models import ExternalParticipant
from events.services import external_personal_data_remove
from tests.events.factories import EventFactory, ExternalParticipantFactory, our_kindergarten

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def _event_ended(day):
    start = datetime.datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    return EventFactory(is_open=True, start=start, end=start + datetime.timedelta(hours=2))


def test_partners_data_are_anonymised_a_year_after_the_event_and_the_counts_stay(settings):
    settings.EXTERNAL_PERSONAL_DATA_KEEP_DAYS = 365
    old = _event_ended(datetime.date(2025, 3, 10))
    recent = _event_ended(datetime.date(2025, 12, 1))
    ExternalParticipantFactory(event=old, full_name="Петрова Ольга", attended=True)
    ExternalParticipantFactory(event=old, full_name="Сидорова Анна", attended=False)
    kept = ExternalParticipantFactory(event=recent, full_name="Иванова Мария")
    now = datetime.datetime(2026, 3, 11, 12, tzinfo=UTC)
    assert external_personal_data_remove(now=now) == 2
    assert external_personal_data_remove(now=now) == 0  # safe to run twice
    rows = list(
        old.external_participants.order_by("pk").values(
            "full_name", "organization", "position", "email", "attended"
        )
    )
    assert rows == [
        dict(full_name="удалено", organization="", position="", email="", attended=True),
        dict(full_name="удалено", organization="", position="", email="", attended=False),
    ]
    assert (
        old.external_participants.count() == 2
        and old.external_participants.filter(attended=True).count() == 1
    )
    kept.refresh_from_db()
    assert (kept.full_name, kept.personal_data_removed_at) == ("Иванова Мария", None)


def test_the_term_is_a_setting(settings):
    settings.EXTERNAL_PERSONAL_DATA_KEEP_DAYS = 30
    event = _event_ended(datetime.date(2026, 2, 1))
    ExternalParticipantFactory(event=event)
    assert external_personal_data_remove(now=datetime.datetime(2026, 3, 2, 9, tzinfo=UTC)) == 0
    assert external_personal_data_remove(now=datetime.datetime(2026, 3, 4, 9, tzinfo=UTC)) == 1


def test_purge_command_removes_what_is_due_and_says_how_many(settings):
    settings.EXTERNAL_PERSONAL_DATA_KEEP_DAYS = 365
    ExternalParticipantFactory(event=_event_ended(datetime.date(2020, 5, 5)), full_name="Давняя Гостья")
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "1" in out.getvalue()
    assert not ExternalParticipant.objects.filter(full_name="Давняя Гостья").exists()


def test_registration_consent_names_operator_term_and_links_the_policy(client, settings):
    our_kindergarten("МБДОУ «Детский сад № 12 „Солнышко“»")
    settings.EXTERNAL_PERSONAL_DATA_KEEP_DAYS = 200
    event = EventFactory(is_open=True)
    page = client.get(f"/events/open/{event.pk}/").content.decode()
    form = page[page.index('id="registration-form"') :]
    assert "Солнышко" in form and "хранятся 200 дней после" in form and 'href="/privacy/"' in form


@pytest.mark.parametrize("keep,said", [(365, "365 дней"), (1, "1 день"), (22, "22 дня"), (30, "30 дней")])
def test_the_term_is_said_with_its_noun(client, settings, keep, said):
    settings.EXTERNAL_PERSONAL_DATA_KEEP_DAYS = keep
    assert f"{said} после мероприятия" in client.get("/privacy/").content.decode()
    event = EventFactory(is_open=True)
    assert f"хранятся {said} после" in client.get(f"/events/open/{event.pk}/").content.decode()


def test_privacy_policy_is_public_and_names_the_operator_and_term(client, settings):
    our_kindergarten("МБДОУ «Детский сад № 12 „Солнышко“»")
    settings.EXTERNAL_PERSONAL_DATA_KEEP_DAYS = 200
    page = client.get("/privacy/").content.decode()
    assert "Политика обработки персональных данных" in page and "Солнышко" in page and "200 дней" in page
    assert 'href="/privacy/"' in client.get("/events/open/").content.decode()  # the footer
