import re

import pytest
from django.core import mail
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from kindergarten_portal.auth import PortalBackend
from kindergarten_portal.roles import is_head, is_senior_educator, is_teacher
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_and_out(client, anna):
    response = client.post(reverse("login"), {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "Антонова" in client.get(reverse("staff:my_page")).content.decode()
    client.post(reverse("logout"))
    assert client.get(reverse("staff:my_page")).status_code == 302


def test_wrong_password_keeps_the_username_and_says_why(client, anna):
    body = client.post(reverse("login"), {"username": "anna", "password": "wrong"}).content.decode()
    assert 'value="anna"' in body
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in body


def test_password_reset_by_email_end_to_end(client, anna):
    anna.email = "anna@sad.ru"
    anna.save()
    client.post(reverse("password_reset"), {"email": "anna@sad.ru"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@sad.ru"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": "Ново-пароль-2026", "new_password2": "Ново-пароль-2026"}
    )
    assert response.status_code == 302
    assert (
        client.post("/accounts/login/", {"username": "anna", "password": "Ново-пароль-2026"}).status_code
        == 302
    )


def test_password_reset_for_unknown_address_sends_nothing_but_looks_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@sad.ru"}, follow=True)
    assert "Проверьте почту" in response.content.decode()
    assert mail.outbox == []


def test_password_change(client, anna):
    client.force_login(anna)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Другой-пароль-77", "new_password2": "Другой-пароль-77"},
    )
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.check_password("Другой-пароль-77")


def test_teacher_has_no_admin(client, anna):
    client.force_login(anna)
    response = client.get("/admin/staff/employee/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_sign_out_says_so(client, anna):
    client.force_login(anna)
    response = client.post(reverse("logout"), follow=True)
    assert "Вы вышли из портала." in response.content.decode()


def test_not_found_and_forbidden_pages_are_russian_with_the_frame(client, anna):
    client.force_login(anna)
    body = client.get("/staff/999999/photo/").content.decode()
    assert "Страница не найдена" in body and 'href="/staff/me/"' in body
    response = client.get("/portfolio/review/")
    assert response.status_code == 403
    assert "Доступ закрыт" in response.content.decode()


def test_the_signed_in_user_comes_with_her_roles_and_staff_record_in_one_query(
    anna, senior, django_assert_num_queries
):
    backend = PortalBackend()
    with django_assert_num_queries(1):
        user = backend.get_user(anna.pk)
        assert is_teacher(user) and not is_senior_educator(user) and not is_head(user)
        assert user.employee.surname == "Антонова"
    office = backend.get_user(senior.pk)
    with django_assert_num_queries(0):
        assert is_senior_educator(office) and not is_teacher(office)
        assert roles_context_employee(office) is None


def test_a_role_taken_away_counts_from_the_next_request(anna):
    anna.groups.clear()
    assert not is_teacher(PortalBackend().get_user(anna.pk))
    anna.is_active = False
    anna.save()
    assert PortalBackend().get_user(anna.pk) is None


def roles_context_employee(user):
    try:
        return user.employee
    except ObjectDoesNotExist:
        return None
