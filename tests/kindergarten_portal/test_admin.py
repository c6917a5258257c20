"""The outbox in the admin: the senior educator reads what was mailed and what was refused."""

import re

import pytest
from django.utils import timezone

from kindergarten_portal.models import OutboxMessage

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/kindergarten_portal/outboxmessage/"


def _message(n, *, sent=True, error=""):
    return OutboxMessage.objects.create(
        kind="events.reminder",
        key=f"reminder:{n}",
        recipient=f"teacher{n}@sad.example",
        subject=f"Завтра: Семинар {n}",
        body="Ссылка: https://portal.example.org/accounts/reset/секрет/",
        sent_at=timezone.now() if sent else None,
        error=error,
    )


def test_senior_filters_unsent_and_searches_by_recipient(client, senior):
    _message(1)
    _message(2, sent=False, error="(550, 'No such user')")
    client.force_login(senior)
    unsent = client.get(CHANGELIST, {"sent_at__isnull": "True"}).content.decode()
    assert "teacher2@sad.example" in unsent and "No such user" in unsent
    assert "teacher1@sad.example" not in unsent
    found = client.get(CHANGELIST, {"q": "teacher1@"}).content.decode()
    assert "Завтра: Семинар 1" in found and "Завтра: Семинар 2" not in found


def test_a_message_is_read_only_and_its_text_is_not_shown(client, senior):
    message = _message(1)
    client.force_login(senior)
    page = client.get(f"{CHANGELIST}{message.pk}/change/").content.decode()
    assert "teacher1@sad.example" in page
    assert "секрет" not in page  # an account's first mail carries her set-password link
    assert 'name="_save"' not in page
    assert client.post(f"{CHANGELIST}{message.pk}/delete/", {"post": "yes"}).status_code == 403
    assert OutboxMessage.objects.filter(pk=message.pk).exists()


def test_changelist_queries_do_not_grow_with_rows(client, senior, django_assert_num_queries):
    client.force_login(senior)
    _message(1)
    client.get(CHANGELIST)  # warm the session and content-type caches
    with django_assert_num_queries(7):  # no count of the whole table (show_full_result_count)
        client.get(CHANGELIST)
    for n in range(2, 8):
        _message(n, sent=n % 2 == 0)
    with django_assert_num_queries(7):
        assert "Завтра: Семинар 7" in client.get(CHANGELIST).content.decode()


def test_admin_count_reads_total_whatever_the_model(client, senior):
    from tests.factories import EmployeeFactory

    for _ in range(3):
        EmployeeFactory()
    client.force_login(senior)
    page = client.get("/admin/staff/employee/").content.decode()
    count = re.search(r'data-test="result-count">([^<]*)<', page).group(1)
    assert "3" in count and "сотрудник" not in count
