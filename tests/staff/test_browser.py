import datetime

import pytest
from playwright.sync_api import expect

from kindergarten_portal.roles import SENIOR_EDUCATOR
from staff.models import Category
from tests.factories import PASSWORD, CategoryDecisionFactory, teacher_user

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_teacher_signs_in_and_sees_her_page_in_russian(live_server, page):
    anna = teacher_user("anna", surname="Антонова")
    CategoryDecisionFactory(
        employee=anna.employee, category=Category.FIRST, decision_date=datetime.date(2024, 5, 20)
    )

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/staff/me/")
    expect(page.get_by_role("heading", name="Войти")).to_be_visible()
    page.get_by_label("Имя пользователя").fill("anna")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()

    expect(page.get_by_role("heading", name="Антонова Мария Ивановна")).to_be_visible()
    expect(page.locator("[data-test=category]")).to_have_text("Первая")
    # Granted after 01.09.2023: no end date (the old five-year date is nowhere on the page).
    expect(page.locator("[data-test=valid-until]")).to_be_visible()
    expect(page.get_by_text("20.05.2029")).to_have_count(0)
    expect(page.locator("[data-test=todo] [data-kind=no_term]")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    # Signed in over plain http with production's Secure cookie flags: chromium keeps them on localhost.
    cookies = {cookie["name"]: cookie["secure"] for cookie in page.context.cookies()}
    assert cookies == {"csrftoken": True, "sessionid": True}


@pytest.mark.django_db(transaction=True)
def test_senior_opens_the_attestation_calendar_picks_a_month_and_downloads_it(live_server, page):
    from django.utils import timezone

    from staff.dates import add_months, add_years
    from tests.factories import EmployeeFactory, TrainingFactory, UserFactory

    today = timezone.localdate()
    UserFactory(username="metodist", role=SENIOR_EDUCATOR)
    legacy = EmployeeFactory(surname="Скорова")
    # Granted before 01.09.2023; the decision ends it four months from now.
    CategoryDecisionFactory(
        employee=legacy,
        category=Category.FIRST,
        decision_date=datetime.date(2022, 1, 10),
        valid_until=add_months(today, 4),
    )
    TrainingFactory(employee=legacy, start_date=add_years(today, -1), end_date=add_years(today, -1))
    fresh = EmployeeFactory(surname="Новенькая", hire_date=add_months(today, -20))
    TrainingFactory(employee=fresh, start_date=add_years(today, -1), end_date=add_years(today, -1))

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Имя пользователя").fill("metodist")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.goto(f"{live_server.url}/admin/staff/employee/")
    page.locator("a[href$='/admin/staff/employee/attestation-calendar/']").click()
    calendar = page.locator("#calendar")
    expect(calendar.locator("tr[data-kind=category_ends]")).to_contain_text("Скорова")
    expect(calendar.locator("tr[data-kind=category_ends]")).to_contain_text(
        add_months(today, 1).strftime("%d.%m.%Y")
    )
    expect(calendar.locator("tr[data-kind=conformity]")).to_contain_text("Новенькая")
    expect(calendar.locator("tr[data-kind=conformity]")).to_contain_text(
        add_months(today, 4).strftime("%d.%m.%Y")
    )

    page.locator("#id_month").select_option(add_months(today, 1).strftime("%Y-%m"))
    expect(calendar.locator("tbody tr")).to_have_count(1)
    expect(calendar).to_contain_text("Скорова")
    with page.expect_download() as download_info:
        page.locator("#calendar-xlsx").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
