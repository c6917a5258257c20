import datetime

import pytest
from playwright.sync_api import expect

from staff.models import Category
from tests.factories import PASSWORD, CategoryDecisionFactory, teacher_user


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
