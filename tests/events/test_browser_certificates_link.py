"""End to end: a dismissed teacher opens her certificates on her phone from the link e-mailed when her
dismissal date was entered, without signing in; the office sends the link again from the staff list."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import EventStatus, ParticipationStatus
from events.notifications import CERTIFICATES_LINK
from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from kindergarten_portal.models import OutboxMessage
from staff.access import staff_record
from tests.browser_steps import assert_accessible, new_page, sign_in
from tests.events.factories import EventFactory, ParticipationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

START = timezone.make_aware(datetime.datetime(2025, 3, 12, 10, 0))


@pytest.mark.django_db(transaction=True)
def test_her_certificates_open_from_the_mail_and_the_office_sends_it_again(live_server, new_context, anna):
    UserFactory(username="senior", role=SENIOR_EDUCATOR)
    event = EventFactory(title="Семинар «Игра»", start=START, status=EventStatus.HELD)
    ParticipationFactory(event=event, teacher=staff_record(anna), status=ParticipationStatus.ATTENDED)
    staff_record(anna).dismissal_date = datetime.date(2025, 6, 30)
    staff_record(anna).save()
    (message,) = OutboxMessage.objects.filter(kind=CERTIFICATES_LINK)
    path = re.search(r"(/events/teacher-certificates/\S+/)", message.body).group(1)

    phone = new_page(new_context, phone=True)
    phone.goto(live_server.url + path)
    expect(phone.get_by_role("heading", name="Мои сертификаты")).to_be_visible()
    item = phone.locator(".certificate", has_text="Семинар «Игра»")
    expect(item).to_contain_text("12.03.2025")
    expect(item).to_contain_text("Сертификат № ")
    assert_accessible(phone)
    download = item.get_by_role("link", name="Скачать (PDF)")
    pdf = phone.request.get(live_server.url + download.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"

    office = new_page(new_context)
    sign_in(office, live_server.url, "senior")
    office.goto(f"{live_server.url}/admin/staff/employee/?employment=all")
    office.locator("tr", has_text="Антонова").locator("input.action-select").check()
    office.locator("select[name=action]").select_option(label="Отправить ссылку на сертификаты")
    office.get_by_role("button", name="Выполнить").click()
    expect(office.locator(".messagelist")).to_contain_text(
        "Ссылка на сертификаты поставлена в очередь: 1 письмо — Антонова М.И. (anna@example.org)."
    )
    assert OutboxMessage.objects.filter(kind=CERTIFICATES_LINK).count() == 2
