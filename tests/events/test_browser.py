"""End to end on a phone: a teacher signs up from next month's plan and finds it in «my events»,
and sees her sign-ups on the month calendar; a colleague from a partner kindergarten registers for
an open event on the public page."""

import datetime

import pytest
from django.utils import timezone

from events.models import ExternalParticipant, Participation, ParticipationStatus
from events.selectors import month_bounds
from staff.access import staff_record
from staff.dates import add_months
from tests.browser_steps import assert_accessible
from tests.events.factories import EventFactory
from tests.factories import PASSWORD, EmployeeFactory

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
        Participation.objects.get(event=event, teacher=staff_record(anna)).status
        == ParticipationStatus.SIGNED_UP
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
    # The month's second Saturday (its 8th to 14th): the seminar four days before it stays in the
    # month whatever weekday the month starts on (the first Saturday may be the 1st, 4 days after
    # the last month's end).
    saturday = following + datetime.timedelta(days=(5 - following.weekday()) % 7 + 7)
    first, _end = month_bounds(following.year, following.month)
    start = first + datetime.timedelta(days=saturday.day - 1, hours=10)
    mine = EventFactory(
        title="Фестиваль «Театральная весна»", start=start, end=start + datetime.timedelta(hours=3)
    )
    Participation.objects.create(event=mine, teacher=staff_record(anna), status=ParticipationStatus.SIGNED_UP)
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


@pytest.mark.django_db(transaction=True)
def test_waiting_list_position_and_cancel_with_confirmation_on_a_phone(page, live_server, anna, boris):
    following = add_months(timezone.localdate().replace(day=1), 1)
    first, _end = month_bounds(following.year, following.month)
    start = first + datetime.timedelta(days=6, hours=10)
    event = EventFactory(
        title="Мастер-класс по лэпбукам", start=start, end=start + datetime.timedelta(hours=2), capacity=1
    )
    Participation.objects.create(event=event, teacher=EmployeeFactory(), status=ParticipationStatus.SIGNED_UP)
    Participation.objects.create(
        event=event,
        teacher=staff_record(boris),
        status=ParticipationStatus.WAITING,
        status_changed_at=timezone.now() - datetime.timedelta(days=1),
    )

    page.set_viewport_size(PHONE)
    _sign_in(page, live_server, "anna")
    page.goto(f"{live_server.url}/events/{event.pk}/")
    page.locator(f"form[action='/events/{event.pk}/sign-up/'] button").click()
    status = page.locator(f"[data-event='{event.pk}'] [data-test=status]")
    status.wait_for()
    # Second in line, after Boris; the message says so too.
    assert "2" in status.inner_text()
    assert "2" in page.locator(".alert-warning").first.inner_text()
    mine = Participation.objects.get(event=event, teacher=staff_record(anna))
    assert mine.status == ParticipationStatus.WAITING

    page.goto(f"{live_server.url}/")
    assert "Мастер-класс по лэпбукам" in page.locator("#home-upcoming").inner_text()
    assert "2" in page.locator("#home-upcoming [data-test=waiting]").inner_text()
    page.goto(f"{live_server.url}/events/my/")
    assert "2" in page.locator("#upcoming [data-test=waiting]").inner_text()

    # Leaving asks first: the tap opens a confirmation and changes nothing yet.
    page.goto(f"{live_server.url}/events/{event.pk}/")
    page.locator(f"[data-event='{event.pk}'] a[href^='/events/{event.pk}/cancel/']").click()
    page.wait_for_url(f"{live_server.url}/events/{event.pk}/cancel/**")
    assert page.locator("#cancel-consequence").is_visible()
    mine.refresh_from_db()
    assert mine.status == ParticipationStatus.WAITING
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#cancel-consequence button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/events/{event.pk}/")
    mine.refresh_from_db()
    assert mine.status == ParticipationStatus.CANCELLED


@pytest.mark.django_db(transaction=True)
def test_calendar_address_copies_and_opens_as_webcal(page, live_server, anna):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server, "anna")
    page.goto(f"{live_server.url}/events/my/calendar/")
    address = page.locator("#feed-url").input_value()
    assert address.startswith(f"{live_server.url}/events/calendar/") and address.endswith(".ics")
    assert page.locator("#webcal-link").get_attribute("href") == "webcal://" + address.split("://", 1)[1]
    copy = page.locator("[data-copy-target=feed-url]")
    assert copy.is_visible()  # the script shows it (no inline script: it is a static file)
    copy.click()
    page.wait_for_function("document.querySelector('[data-copy-status]').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == address
    # A new address asks first; the old one works until she confirms.
    page.get_by_role("link", name="Создать новый адрес").click()
    page.wait_for_url(f"{live_server.url}/events/my/calendar/new/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/events/my/calendar/")
    assert page.locator("#feed-url").input_value() != address
