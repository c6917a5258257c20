import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from kindergarten_portal.access.auth import PortalBackend
from kindergarten_portal.access.roles import is_head, is_senior_educator, is_teacher
from kindergarten_portal.mail.outbox import PASSWORD_RESET
from kindergarten_portal.models import OutboxMessage, OutboxStatus
from staff.access import staff_record
from staff.services import accounts_create_for_teachers
from tests.factories import PASSWORD, EmployeeFactory
from tests.outbox import send_queued

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


def _reset_link(message):
    return re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)


def _set_new_password(client, link, password="Ново-пароль-2026"):
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": password, "new_password2": password})
    return client.post("/accounts/login/", {"username": "anna", "password": password}).status_code == 302


def test_password_reset_by_email_end_to_end(client, anna):
    anna.email = "anna@sad.ru"
    anna.save()
    response = client.post(reverse("password_reset"), {"email": "anna@sad.ru"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []  # queued: the sender sends it
    assert send_queued() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna@sad.ru"]
    assert mail.outbox[0].subject == "Сброс пароля на портале методического кабинета"
    assert _set_new_password(client, _reset_link(mail.outbox[0]))


def test_a_locked_out_teacher_unlocks_herself_with_the_reset_link(client, anna):
    """Someone on the staff room's address typed wrong passwords for her: the link that reached her
    mailbox lifts the lock, and she signs in from that address at once."""
    from axes.models import AccessAttempt

    anna.email = "anna@sad.ru"
    anna.save()
    for _n in range(5):
        client.post("/accounts/login/", {"username": "anna", "password": "wrong"})
    assert client.post("/accounts/login/", {"username": "anna", "password": PASSWORD}).status_code == 429
    client.post(reverse("password_reset"), {"email": "anna@sad.ru"})
    send_queued()
    assert _set_new_password(client, _reset_link(mail.outbox[0]))  # signed in from the same address
    assert not AccessAttempt.objects.filter(username="anna").exists()


def test_password_reset_with_the_mail_server_down_answers_and_is_mailed_once_it_is_back(
    client, anna, settings
):
    anna.email = "anna@sad.ru"
    anna.save()
    settings.EMAIL_BACKEND = "tests.outbox.BrokenSMTPBackend"
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        response = client.post(reverse("password_reset"), {"email": "anna@sad.ru"})
        assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
        assert send_queued() == 0  # refused: kept
        message = OutboxMessage.objects.get(kind=PASSWORD_RESET)
        assert (message.status, message.attempts) == (OutboxStatus.QUEUED, 1)
        assert message.last_error == "Connection unexpectedly closed"

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        clock.move_to(start + datetime.timedelta(minutes=1))
        assert send_queued() == 1
        assert mail.outbox[0].to == ["anna@sad.ru"]
        clock.move_to(start + datetime.timedelta(hours=2))  # she reads it later: the link works
        assert _set_new_password(client, _reset_link(mail.outbox[0]))


def _token_looking_strings(text):
    # Django's tokens are "<base36 timestamp>-<hex digest>"; anything else of their letters, too.
    return re.findall(r"[0-9A-Za-z_-]{6,}", text)


@pytest.mark.parametrize("how", ["reset", "account"])
def test_a_queued_set_password_mail_stores_no_link_that_works(client, anna, senior, how):
    anna.email = "anna@sad.ru"
    anna.save()
    if how == "reset":
        client.post(reverse("password_reset"), {"email": "anna@sad.ru"})
    else:
        accounts_create_for_teachers(employees=[EmployeeFactory(email="new@sad.ru")])
    message = OutboxMessage.objects.get()
    user = get_user_model().objects.get(pk=message.link_user_id)
    candidates = _token_looking_strings(message.body)
    assert candidates  # the body does hold a (placeholder) link
    assert not any(default_token_generator.check_token(user, token) for token in candidates)

    assert send_queued() == 1
    sent = mail.outbox[0].body
    uidb64, token = re.search(r"/accounts/reset/([^/]+)/([^/]+)/", sent).groups()
    assert default_token_generator.check_token(user, token)
    message.refresh_from_db()
    assert token not in message.body  # the token made for sending is not stored either


def test_password_reset_for_unknown_address_sends_nothing_but_looks_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@sad.ru"}, follow=True)
    assert "Проверьте почту" in response.content.decode()
    assert send_queued() == 0
    assert mail.outbox == []


def test_ten_resets_for_one_address_send_three_mails_and_answer_alike(client, anna):
    anna.email = "anna@sad.ru"
    anna.save()
    responses = [
        client.post(reverse("password_reset"), {"email": "Anna@sad.ru" if n % 2 else "anna@sad.ru"})
        for n in range(10)
    ]
    assert {(r.status_code, r["Location"]) for r in responses} == {(302, reverse("password_reset_done"))}
    assert send_queued() == 3
    assert [m.to for m in mail.outbox] == [["anna@sad.ru"]] * 3


def test_resets_for_many_addresses_from_one_visitor_are_limited(client, anna, settings):
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 4
    anna.email = "anna@sad.ru"
    anna.save()
    statuses = [
        client.post(reverse("password_reset"), {"email": f"someone{n}@sad.ru"}).status_code for n in range(4)
    ]
    assert statuses == [302] * 4
    response = client.post(reverse("password_reset"), {"email": "anna@sad.ru"})
    assert response.status_code == 429
    assert "Слишком много запросов на сброс пароля с вашего адреса" in response.content.decode()
    assert send_queued() == 0
    # another visitor is not held up
    other = client.post(reverse("password_reset"), {"email": "anna@sad.ru"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    assert send_queued() == 1


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
        assert staff_record(user).surname == "Антонова"
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
        return staff_record(user)
    except ObjectDoesNotExist:
        return None
