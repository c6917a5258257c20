"""Sign-in throttling (django-axes): per account and address, on the site and the admin."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from kindergarten_portal.access.clients import client_address
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def _fail(client, url, username, times, **extra):
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "wrong"}, **extra)
    return response


def _signed_in(client):
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_out_the_right_one_with_the_wait(client, anna):
    assert _fail(client, LOGIN, "anna", 4).status_code == 200  # the form again, still open
    locked = _fail(client, LOGIN, "anna", 1)
    assert locked.status_code == 429
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD})
    assert response.status_code == 429 and not _signed_in(client)
    body = response.content.decode()
    assert 'data-test="locked-out" data-minutes="15"' in body
    # Pending catalogue (locale/pending/secauth.po): once merged the page reads
    # "Попробуйте снова через 15 минут."; until then the number is what we can check.
    assert "15" in body


def test_the_lock_is_per_account_and_address(client, anna, boris):
    _fail(client, LOGIN, "anna", 5)
    # A colleague behind the same address signs in; anna from another address too.
    assert client.post(LOGIN, {"username": "boris", "password": PASSWORD}).status_code == 302
    client.logout()
    other = client.post(LOGIN, {"username": "anna", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert other.status_code == 302


def test_after_the_cool_off_the_right_password_works(client, anna, settings):
    _fail(client, LOGIN, "anna", 5)
    AccessAttempt.objects.update(attempt_time=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302 and _signed_in(client)
    assert not AccessAttempt.objects.exists()  # a success clears the failures


def test_the_wait_shown_is_what_is_left(client, anna):
    _fail(client, LOGIN, "anna", 5)
    ten_minutes_ago = AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=10)
    AccessAttempt.objects.update(attempt_time=ten_minutes_ago)
    body = client.post(LOGIN, {"username": "anna", "password": PASSWORD}).content.decode()
    assert 'data-minutes="5"' in body


def test_limit_and_cool_off_come_from_settings(client, anna, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
    assert _fail(client, LOGIN, "anna", 2).status_code == 429
    assert (
        'data-minutes="30"' in client.post(LOGIN, {"username": "anna", "password": PASSWORD}).content.decode()
    )


def test_the_address_comes_from_the_trusted_proxy_header(client, anna, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    _fail(client, LOGIN, "anna", 5, HTTP_X_REAL_IP="203.0.113.9")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    # Same proxy (REMOTE_ADDR), another visitor: not locked.
    other = client.post(LOGIN, {"username": "anna", "password": PASSWORD}, HTTP_X_REAL_IP="198.51.100.4")
    assert other.status_code == 302


def test_a_forged_header_from_a_direct_client_changes_nothing(client, anna, settings):
    """A client that reaches the server directly (not from TRUSTED_PROXIES) sends a new X-Real-IP
    with every try: it is counted by its own address and locked all the same."""
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    direct = {"REMOTE_ADDR": "198.51.100.20"}
    for n in range(5):
        client.post(
            LOGIN, {"username": "anna", "password": "wrong"}, HTTP_X_REAL_IP=f"203.0.113.{n}", **direct
        )
    assert {a.ip_address for a in AccessAttempt.objects.all()} == {"198.51.100.20"}
    locked = client.post(
        LOGIN, {"username": "anna", "password": PASSWORD}, HTTP_X_REAL_IP="192.0.2.1", **direct
    )
    assert locked.status_code == 429 and not _signed_in(client)


@pytest.mark.parametrize(
    "header,value,remote,expected",
    [
        # From the proxy: its header is the visitor.
        ("HTTP_X_REAL_IP", "203.0.113.9", "127.0.0.1", "203.0.113.9"),
        # X-Real-IP holds one address (nginx overwrites it); a list is no address: the proxy's own.
        ("HTTP_X_REAL_IP", "203.0.113.9, 10.0.0.1", "127.0.0.1", "127.0.0.1"),
        # X-Forwarded-For: the right-most address, the one the proxy appended; the rest is the client's claim.
        ("HTTP_X_FORWARDED_FOR", "10.9.9.9, 203.0.113.5", "127.0.0.1", "203.0.113.5"),
        # A proxy in a configured network.
        ("HTTP_X_REAL_IP", "203.0.113.9", "10.0.0.3", "203.0.113.9"),
        # Not from a proxy: the header is ignored.
        ("HTTP_X_REAL_IP", "203.0.113.9", "198.51.100.20", "198.51.100.20"),
        ("HTTP_X_FORWARDED_FOR", "203.0.113.5", "198.51.100.20", "198.51.100.20"),
        ("HTTP_X_REAL_IP", "not an address", "127.0.0.1", "127.0.0.1"),
    ],
)
def test_client_address_trusts_the_header_of_trusted_proxies_only(
    rf, settings, header, value, remote, expected
):
    settings.TRUSTED_PROXY_HEADER = header
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/24"]
    request = rf.get("/", REMOTE_ADDR=remote, **{header: value})
    assert client_address(request) == expected


def test_admin_sign_in_is_locked_too(client, senior):
    _fail(client, ADMIN_LOGIN, "senior", 5)
    response = client.post(ADMIN_LOGIN, {"username": "senior", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 429 and not _signed_in(client)
    assert 'data-test="locked-out"' in response.content.decode()
    # The site's sign-in shares the count: same account, same address.
    assert client.post(LOGIN, {"username": "senior", "password": PASSWORD}).status_code == 429


def test_senior_educator_unlocks_an_account(client, anna, senior):
    teacher_browser, office = client, type(client)()
    _fail(teacher_browser, LOGIN, "anna", 5)
    office.force_login(senior)
    changelist = office.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200 and "anna" in changelist.content.decode()
    attempt = AccessAttempt.objects.get(username="anna")
    response = office.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert teacher_browser.post(LOGIN, {"username": "anna", "password": PASSWORD}).status_code == 302


def test_head_cannot_unlock(client, head):
    client.force_login(head)
    assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_force_login_still_works(client, anna):
    client.force_login(anna)
    assert client.get(reverse("staff:my_page")).status_code == 200


def test_tries_spread_over_many_addresses_lock_the_account_alone(client, anna, boris, settings):
    """Guesses from many addresses (a botnet; or a proxy's header the portal may trust) never meet
    the pair's limit of 5: at LOGIN_ACCOUNT_FAILURE_LIMIT of them together the account is locked
    from every address, while other accounts at those addresses are not."""
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 12
    for n in range(12):
        response = client.post(
            LOGIN, {"username": "anna", "password": "wrong"}, REMOTE_ADDR=f"198.51.100.{n + 1}"
        )
        assert response.status_code == 200, n  # one a pair: never the pair's lock
    fresh = client.post(LOGIN, {"username": "anna", "password": PASSWORD}, REMOTE_ADDR="203.0.113.77")
    assert fresh.status_code == 429 and not _signed_in(client)
    assert 'data-minutes="15"' in fresh.content.decode()
    colleague = client.post(LOGIN, {"username": "boris", "password": PASSWORD}, REMOTE_ADDR="198.51.100.1")
    assert colleague.status_code == 302


def test_a_shared_address_below_the_account_limit_locks_the_pair_only(client, anna, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 12
    _fail(client, LOGIN, "anna", 5, REMOTE_ADDR="198.51.100.50")  # the staff room's address
    elsewhere = client.post(LOGIN, {"username": "anna", "password": PASSWORD}, REMOTE_ADDR="203.0.113.8")
    assert elsewhere.status_code == 302  # she signs in from home


def test_senior_educator_unlocks_an_account_with_the_admin_button(client, anna, senior):
    for address in ("198.51.100.1", "198.51.100.2"):
        _fail(client, LOGIN, "anna", 5, REMOTE_ADDR=address)
    assert AccessAttempt.objects.filter(username="anna").count() == 2
    client.force_login(senior)
    listed = client.get("/admin/axes/accessattempt/").content.decode()
    assert "Разблокировать выбранные учётные записи" in listed
    one = AccessAttempt.objects.filter(username="anna").first()
    response = client.post(
        "/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": [one.pk]}, follow=True
    )
    assert "Разблокирована 1 учётная запись: anna." in response.content.decode()
    assert not AccessAttempt.objects.filter(username="anna").exists()  # at every address
    client.logout()
    signed_in = client.post(LOGIN, {"username": "anna", "password": PASSWORD}, REMOTE_ADDR="198.51.100.2")
    assert signed_in.status_code == 302
