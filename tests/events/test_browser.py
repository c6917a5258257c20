"""End to end on a phone: a teacher signs up from next month's plan and finds it in «my events»,
and sees her sign-ups on the month calendar; a colleague from a partner kindergarten registers for
an open event on the public page."""

import datetime

import pytest
from django.utils import timezone

from events.models import ExternalParticipant, Participation, ParticipationStatus
from events.selectors import month_bounds
from staff.dates import add_months
from tests.browser_steps import assert_accessible
from tests.events.factories import EventFactory
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.django_db(transaction=True)
def test_teacher_signs_up_from_next_months_plan(page, live_server, anna):
    following = add_months(timezone.localdate().replace(day=1), 1)
    first, _end = month_bounds(following.year, following.month)
    start = first + datetime.timedelta(days=4, hours=10)
    event = EventFactory(
        title="Развитие речи в игре", start=start, end=start + datetime.timedelta(hours=2), capacity=10
    )

    page.set_viewport_size(PHONE)
    _sign_in(page, live_server, "anna")
    page.goto(f"{live_server.url}/events/")
    page.wait_for_url(f"{live_server.url}/events/{following.year}/{following.month}/")
    assert_accessible(page)
    row = page.locator(".event-row", has_text="Развитие речи в игре")
    row.locator(f"form[action='/events/{event.pk}/sign-up/'] button").click()
    page.wait_for_selector(f"[data-event='{event.pk}'] [data-test=status]")
    assert (
        Participation.objects.get(event=event, teacher=anna.employee).status == ParticipationStatus.SIGNED_UP
    )

    page.goto(f"{live_server.url}/events/my/")
    assert_accessible(page)
    upcoming = page.locator("#upcoming")
    assert "Развитие речи в игре" in upcoming.inner_text()


@pytest.mark.django_db(transaction=True)
def test_colleague_registers_for_an_open_event(page, live_server):
    event = EventFactory(title="Открытый показ сюжетно-ролевой игры", is_open=True, capacity=15)

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/events/open/")
    assert_accessible(page)
    page.click("text=Открытый показ сюжетно-ролевой игры")
    page.wait_for_url(f"{live_server.url}/events/open/{event.pk}/")
    assert_accessible(page)
    page.fill("#id_full_name", "Петрова Мария Ивановна")
    page.fill("#id_organization", "МБДОУ «Детский сад № 15»")
    page.fill("#id_position", "воспитатель")
    page.fill("#id_email", "petrova@example.org")
    # Submitting without consent keeps what was typed and says why.
    page.click("#registration-form button[type=submit]")
    page.wait_for_selector("#id_consent.is-invalid")
    assert_accessible(page)
    assert page.input_value("#id_full_name") == "Петрова Мария Ивановна"
    page.check("#id_consent")
    page.click("#registration-form button[type=submit]")
    page.wait_for_selector("#registered")
    assert_accessible(page)
    assert "petrova@example.org" in page.inner_text("#registered")
    # The confirmation is its own page: reloading it does not submit the form again.
    page.reload()
    assert "petrova@example.org" in page.inner_text("#registered")
    registered = ExternalParticipant.objects.get(event=event)
    assert registered.organization == "МБДОУ «Детский сад № 15»"
    assert registered.consent_at is not None


@pytest.mark.django_db(transaction=True)
def test_phone_calendar_shows_her_saturday_event(page, live_server, anna):
    following = add_months(timezone.localdate().replace(day=1), 1)
    saturday = following + datetime.timedelta(days=(5 - following.weekday()) % 7)
    first, _end = month_bounds(following.year, following.month)
    start = first + datetime.timedelta(days=saturday.day - 1, hours=10)
    mine = EventFactory(
        title="Фестиваль «Театральная весна»", start=start, end=start + datetime.timedelta(hours=3)
    )
    Participation.objects.create(event=mine, teacher=anna.employee, status=ParticipationStatus.SIGNED_UP)
    EventFactory(title="Семинар ГМО по ФЭМП", start=start - datetime.timedelta(days=4))

    page.set_viewport_size(PHONE)
    _sign_in(page, live_server, "anna")
    page.goto(f"{live_server.url}/events/{following.year}/{following.month}/calendar/")
    assert_accessible(page)
    mine_row = page.locator(f"#event-agenda [data-event='{mine.pk}']")
    assert mine_row.is_visible()
    assert "Фестиваль «Театральная весна»" in mine_row.inner_text()  # the whole title, not cut
    assert "mine" in mine_row.get_attribute("class")  # marked as her own sign-up
    assert page.locator("#event-agenda", has_text="Семинар ГМО по ФЭМП").is_visible()
    assert not page.locator("#event-calendar").is_visible()
    # nothing to scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
