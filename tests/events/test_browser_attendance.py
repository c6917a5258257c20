"""End to end: after a seminar the senior educator marks ten teachers as attended and prints their
certificates from the event's page: «Отметить посещаемость», «отметить всех», «Сохранить»,
«Распечатать сертификаты» — three clicks beside the ticks."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.models import EventCertificate, Participation, ParticipationStatus
from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from tests.browser_steps import new_page, sign_in
from tests.factories import EmployeeFactory, UserFactory

from .factories import EventFactory, OrganizationFactory, ParticipationFactory, in_days

pytestmark = pytest.mark.browser

TEACHERS = 10


@pytest.mark.django_db(transaction=True)
def test_ten_teachers_marked_attended_and_their_certificates_printed_in_three_clicks(
    live_server, new_context
):
    UserFactory(username="metodist", role=SENIOR_EDUCATOR)
    event = EventFactory(
        title="Семинар «Игра как форма организации детской жизни»",
        organizer=OrganizationFactory(name="ИМЦ"),
        start=in_days(-1),
        end=in_days(-1, hour=12),
    )
    for n in range(TEACHERS):
        ParticipationFactory(event=event, teacher=EmployeeFactory(surname=f"Педагогова{n:02d}"))

    office = new_page(new_context)
    sign_in(office, live_server.url, "metodist")
    office.goto(live_server.url + reverse("admin:events_event_change", args=[event.pk]))
    clicks = 0

    def click(locator):
        nonlocal clicks
        clicks += 1
        locator.click()

    click(office.get_by_role("link", name="Отметить посещаемость"))
    expect(office.get_by_role("heading", name="Отметить посещаемость")).to_be_visible()
    boxes = office.locator('#attendance-table input[name="attended"]')
    expect(boxes).to_have_count(TEACHERS)

    office.get_by_label("отметить всех").check()  # the ticks: one for the whole room
    for n in range(TEACHERS):
        expect(boxes.nth(n)).to_be_checked()
    click(office.get_by_role("button", name="Сохранить"))
    expect(office.locator(".messagelist")).to_have_text(
        "Отмечено посещение: 10 педагогов. Сертификатов к печати: 10."
    )
    expect(office.get_by_label("отметить всех")).to_be_checked()

    with office.expect_response(lambda response: "/certificates/" in response.url) as answer:
        click(office.get_by_role("link", name="Распечатать сертификаты (PDF)"))
    pdf = answer.value
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert clicks <= 3

    attended = Participation.objects.filter(event=event, status=ParticipationStatus.ATTENDED)
    assert attended.count() == TEACHERS
    assert (
        EventCertificate.objects.filter(participation__in=attended, revoked_at__isnull=True).count()
        == TEACHERS
    )


@pytest.mark.django_db(transaction=True)
def test_the_attendance_page_fits_a_phone(live_server, new_context):
    UserFactory(username="metodist", role=SENIOR_EDUCATOR)
    event = EventFactory(start=in_days(-1), end=in_days(-1, hour=12))
    came = ParticipationFactory(event=event, teacher=EmployeeFactory(surname="Константинопольская"))
    phone = new_page(new_context, phone=True)
    sign_in(phone, live_server.url, "metodist")
    phone.goto(live_server.url + reverse("admin:events_event_attendance", args=[event.pk]))
    tick = phone.get_by_label("Константинопольская Мария Ивановна")
    tick.check()
    # The page itself does not scroll sideways; the list would, inside its own box.
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone.get_by_role("button", name="Сохранить").click()
    expect(phone.locator(".messagelist")).to_contain_text("Отмечено посещение: 1 педагог.")
    came.refresh_from_db()
    assert came.status == ParticipationStatus.ATTENDED
