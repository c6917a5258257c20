"""Production settings: check --deploy is clean, HTTPS and HSTS from the environment, the CSP header,
sessions that end with the browser, /healthz, and error e-mails to ADMINS."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from django.urls import path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k8#Qz!v2@Lr5^Wm9&Tn3*Yp7(Bx1)Gd4-Hs6+Jc0=Fa_e3Rt5Uo7Ik9Lp2Mn4",
    "ALLOWED_HOSTS": "portal.sad12.ru",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}
# The test run's own environment (DEBUG off, a test key, async-unsafe for the browser tests) is
# not production's.
PORTAL_VARIABLES = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ADMINS", "DJANGO_ALLOW_ASYNC_UNSAFE")


def _manage(env_overrides, *command):
    env = {k: v for k, v in os.environ.items() if k not in PORTAL_VARIABLES and not k.startswith("SECURE_")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _setting(env_overrides, name):
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = _manage(env_overrides, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_with_production_values():
    result = _manage(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_without_hsts():
    env = {k: v for k, v in PRODUCTION.items() if not k.startswith("SECURE_HSTS")}
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0 and "security.W004" in result.stderr + result.stdout


def test_https_redirect_follows_the_secure_cookies_and_is_off_in_debug():
    assert _setting(PRODUCTION, "SECURE_SSL_REDIRECT") == "True"
    assert _setting({**PRODUCTION, "SECURE_COOKIES": "false"}, "SECURE_SSL_REDIRECT") == "False"
    assert _setting({**PRODUCTION, "SECURE_SSL_REDIRECT": "false"}, "SECURE_SSL_REDIRECT") == "False"
    assert _setting({"DEBUG": "true"}, "SECURE_SSL_REDIRECT") == "False"
    assert _setting({"DEBUG": "true"}, "SECURE_HSTS_SECONDS") == "0"


def test_sessions_end_with_the_browser_when_asked():
    assert _setting(PRODUCTION, "SESSION_EXPIRE_AT_BROWSER_CLOSE") == "False"
    assert (
        _setting({**PRODUCTION, "SESSION_EXPIRE_AT_BROWSER_CLOSE": "true"}, "SESSION_EXPIRE_AT_BROWSER_CLOSE")
        == "True"
    )


def test_admins_are_read_from_one_variable():
    value = "Ирина Петрова <metodist@sad12.ru>, it@sad12.ru"
    assert _setting({**PRODUCTION, "ADMINS": value}, "ADMINS") == (
        "[('Ирина Петрова', 'metodist@sad12.ru'), ('', 'it@sad12.ru')]"
    )


def test_a_bad_admins_value_fails_loudly():
    from kindergarten_portal.settings import env_addresses

    os.environ["PORTAL_TEST_ADMINS"] = "Ирина Петрова"
    try:
        with pytest.raises(ImproperlyConfigured, match="PORTAL_TEST_ADMINS"):
            env_addresses("PORTAL_TEST_ADMINS")
    finally:
        del os.environ["PORTAL_TEST_ADMINS"]


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/accounts/login/")
    assert response["Content-Security-Policy"] == (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    )


@pytest.mark.django_db
def test_hsts_when_set(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    secure = client.get("/accounts/login/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.django_db
def test_plain_http_is_redirected_when_asked_but_not_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/accounts/login/"
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_says_ok_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_away(client, monkeypatch):
    from django.db.utils import OperationalError

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    # The database's own failure, simulated at the driver's edge (not our code).
    with monkeypatch.context() as patched:  # undone before the fixtures' teardown uses the database
        patched.setattr(connection, "cursor", unreachable)
        response = client.get("/healthz")
    assert response.status_code == 503


def _boom(request):
    raise RuntimeError("the disk is full")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.django_db
def test_server_errors_are_mailed_to_admins(client, settings):
    settings.ADMINS = [("Ирина Петрова", "metodist@sad12.ru")]
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=__name__):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert [m.to for m in mail.outbox] == [["metodist@sad12.ru"]]
    assert "the disk is full" in mail.outbox[0].body
