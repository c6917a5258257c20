"""End to end: the senior educator creates a teacher's sign-in in the admin; the teacher sets her
password by the e-mailed link on her phone, signs in and sees her page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from kindergarten_portal.roles import SENIOR_EDUCATOR, TEACHER
from tests.browser_steps import new_page, open_menu_link, sign_in
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Ромашка-весна-2026"


@pytest.mark.django_db(transaction=True)
def test_account_created_password_set_by_mailed_link_and_signed_in(live_server, new_context):
    UserFactory(username="metodist", role=SENIOR_EDUCATOR)
    employee = EmployeeFactory(surname="Васильева", name="Ольга", email="vasilyeva@example.org")

    office = new_page(new_context)
    sign_in(office, live_server.url, "metodist")
    open_menu_link(office, "Кадры")
    office.locator("#result_list tr", has_text="Васильева").get_by_role("checkbox").check()
    office.get_by_role("combobox", name=re.compile("^Действие")).select_option(
        label="Создать учётные записи и отправить ссылку для установки пароля"
    )
    office.get_by_role("button", name="Выполнить").click()
    expect(office.locator(".messagelist")).to_contain_text("Создана 1 учётная запись: Васильева О.И. (vasilyeva).")

    employee.refresh_from_db()
    user = employee.user
    assert user.username == "vasilyeva" and user.email == "vasilyeva@example.org"
    assert list(user.groups.values_list("name", flat=True)) == [TEACHER]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vasilyeva@example.org"]
    assert "vasilyeva" in message.body  # her login
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith(live_server.url)

    teacher = new_page(new_context, phone=True)
    teacher.goto(link)
    expect(teacher.get_by_role("heading", name="Новый пароль")).to_be_visible()
    teacher.locator("#id_new_password1").fill(NEW_PASSWORD)
    teacher.locator("#id_new_password2").fill(NEW_PASSWORD)
    teacher.get_by_role("button", name="Сохранить").click()
    expect(teacher.get_by_role("heading", name="Пароль установлен")).to_be_visible()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link works once only.
    teacher.goto(link)
    expect(teacher.get_by_role("heading", name="Новый пароль")).to_be_visible()
    expect(teacher.locator("#id_new_password1")).to_have_count(0)

    teacher.go_back()
    teacher.get_by_role("link", name="Продолжить").click()
    expect(teacher.get_by_role("heading", name="Войти")).to_be_visible()
    teacher.get_by_label("Имя пользователя").fill("vasilyeva")
    teacher.get_by_label("Пароль").fill(NEW_PASSWORD)
    teacher.get_by_role("button", name="Войти").click()
    expect(teacher.get_by_role("heading", name="Здравствуйте, Ольга Васильева")).to_be_visible()
    open_menu_link(teacher, "Моя страница")
    expect(teacher.get_by_role("heading", name="Васильева Ольга Ивановна")).to_be_visible()
    assert get_user_model().objects.filter(username="vasilyeva").count() == 1
