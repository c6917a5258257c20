"""The outbox in the admin: the senior educator reads what was mailed and what was refused."""

import re

import pytest
from django.utils import timezone

from events import notifications as events_mail
from kindergarten_portal import kindergartens
from kindergarten_portal.mail.outbox import KIND_LABELS, PASSWORD_RESET
from kindergarten_portal.models import OutboxMessage, OutboxStatus
from portfolios import notifications as portfolio_mail
from staff import notifications as staff_mail

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/kindergarten_portal/outboxmessage/"


def _message(n, *, status=OutboxStatus.SENT, error="", kind="events.reminder"):
    return OutboxMessage.objects.create(
        kind=kind,
        key=f"reminder:{n}",
        recipient=f"teacher{n}@sad.example",
        subject=f"Завтра: Семинар {n}",
        body="Ссылка: https://portal.example.org/accounts/reset/секрет/",
        status=status,
        sent_at=timezone.now() if status == OutboxStatus.SENT else None,
        last_error=error,
    )


def test_senior_filters_by_status_and_searches_by_recipient(client, senior):
    _message(1)
    _message(2, status=OutboxStatus.FAILED, error="(550, 'No such user')")
    _message(3, status=OutboxStatus.QUEUED, error="Connection unexpectedly closed")
    client.force_login(senior)
    failed = client.get(CHANGELIST, {"status__exact": "failed"}).content.decode()
    assert "teacher2@sad.example" in failed and "No such user" in failed
    assert '<span class="outbox-failed">не отправлено</span>' in failed
    assert "teacher1@sad.example" not in failed and "teacher3@sad.example" not in failed
    waiting = client.get(CHANGELIST, {"status__exact": "queued"}).content.decode()
    assert "teacher3@sad.example" in waiting and "teacher2@sad.example" not in waiting
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
        _message(n, status=OutboxStatus.SENT if n % 2 == 0 else OutboxStatus.FAILED)
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


def test_the_office_is_told_how_many_mails_were_given_up(client, senior):
    _message(1, status=OutboxStatus.FAILED)
    _message(2, status=OutboxStatus.FAILED)
    _message(3)
    client.force_login(senior)
    page = client.get(CHANGELIST).content.decode()
    assert "2 письма не удалось отправить: почтовый сервер раз за разом их не принимал." in page
    OutboxMessage.objects.update(status=OutboxStatus.SENT)
    assert "не удалось отправить" not in client.get(CHANGELIST).content.decode()


def test_kinds_are_shown_and_filtered_by_their_russian_names(client, senior):
    _message(1, kind="events.recommendation")
    _message(2, kind="staff.attestation_reminder")
    client.force_login(senior)
    page = client.get(CHANGELIST).content.decode()
    assert "рекомендация мероприятия" in page and "напоминание об аттестации" in page
    assert "events.recommendation" not in page.replace("kind=events.recommendation", "")
    only = client.get(CHANGELIST, {"kind": "events.recommendation"}).content.decode()
    assert "teacher1@sad.example" in only and "teacher2@sad.example" not in only


def test_given_up_mails_are_queued_again_by_the_action(client, senior):
    failed = _message(1, status=OutboxStatus.FAILED)
    OutboxMessage.objects.filter(pk=failed.pk).update(attempts=8)
    sent = _message(2)
    client.force_login(senior)
    response = client.post(
        CHANGELIST, {"action": "queue_again", "_selected_action": [failed.pk, sent.pk]}, follow=True
    )
    assert "1 письмо снова поставлено в очередь." in response.content.decode()
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.QUEUED, 0)
    assert sent.status == OutboxStatus.SENT


def test_every_kind_of_message_the_apps_queue_has_a_name():
    kinds = {
        events_mail.REMINDER,
        events_mail.SHARING_DUE,
        events_mail.RECOMMENDATION,
        events_mail.PLACE_FREED,
        events_mail.REGISTRATION,
        events_mail.MONTHLY_PLAN,
        events_mail.EXTERNAL_CERTIFICATE,
        events_mail.CERTIFICATES_LINK,
        staff_mail.ATTESTATION_REMINDER,
        "staff.account_created",
        "staff.account_linked",
        kindergartens.KIND,
        "staff.results_name_consent_notice",  # queued once by migration staff 0009
        portfolio_mail.ENTRY_APPROVED,
        portfolio_mail.ENTRY_RETURNED,
        PASSWORD_RESET,
    }
    assert kinds == set(KIND_LABELS)


def test_the_admins_view_link_is_djangos_own_word(client, senior):
    """«Просмотреть» (Django's word for a view-only page), not the plan's «Вид» (a display mode)."""
    from django.utils.translation import gettext, pgettext

    assert gettext("View") == "Просмотреть"
    assert pgettext("display mode", "View") == "Вид"


def test_the_admin_index_names_sign_in_lockouts_in_russian(client, senior, anna):
    from django.apps import apps

    from kindergarten_portal.apps import PortalConfig

    # The portal's own config still runs (it creates the cache tables on migrate).
    assert isinstance(apps.get_app_config("kindergarten_portal"), PortalConfig)
    client.force_login(senior)
    index = client.get("/admin/").content.decode()
    assert "Блокировки входа" in index and ">Axes<" not in index and "AXES" not in index
    for _n in range(5):
        client.post("/accounts/login/", {"username": "anna", "password": "wrong"})
    client.force_login(senior)
    listed = client.get("/admin/axes/accessattempt/").content.decode()
    assert "Заблокирован вход" in listed and "Locked Out" not in listed
