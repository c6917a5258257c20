import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_overrides, command=("check",)):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_check({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_secret_key():
    result = run_check({"DEBUG": "false", "SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr


def test_development_starts_without_secret_key_and_serves_static_from_the_apps():
    code = "from django.conf import settings as s; print(s.STORAGES['staticfiles']['BACKEND'], s.DEBUG)"
    result = run_check({"DEBUG": "true"}, ["shell", "-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("django.contrib.staticfiles.storage.StaticFilesStorage True")


def test_the_suite_runs_production_static_storage_and_cookie_flags(settings):
    assert (
        settings.STORAGES["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert settings.WHITENOISE_AUTOREFRESH is False
    assert (settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE) == (True, True)
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    # The one difference from production: a fast hasher, set by the root conftest.py.
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_pages_link_static_files_through_the_manifest(client):
    body = client.get("/accounts/login/").content.decode()
    # Hashed names, as collectstatic writes them for production: /static/css/portal.<hash>.css
    assert re.search(r'href="/static/[\w/.-]+\.[0-9a-f]{12}\.css"', body), body


def test_bad_boolean_fails_loudly():
    from kindergarten_portal.settings import env_bool

    os.environ["PORTAL_TEST_FLAG"] = "maybe"
    try:
        with pytest.raises(ImproperlyConfigured):
            env_bool("PORTAL_TEST_FLAG")
    finally:
        del os.environ["PORTAL_TEST_FLAG"]


def test_russian_is_the_default_language(client):
    body = client.get("/accounts/login/").content.decode()
    assert '<html lang="ru">' in body
    assert "Войти" in body


def _cache_settings(overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "REDIS_URL", "CACHE_TABLE", "PAGE_CACHE_TABLE")
    }
    env.update({"DEBUG": "true", **overrides})
    code = (
        "from django.conf import settings as s; c = s.CACHES['default']; p = s.CACHES['pages'];"
        "print(s.SESSION_ENGINE, c['BACKEND'], c['LOCATION'], repr(c['KEY_PREFIX']), s.TRUSTED_PROXY_HEADER,"
        " '|', p['BACKEND'], p['LOCATION'], repr(p['KEY_PREFIX']))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_cache_is_a_database_table_shared_by_every_process_by_default():
    # ... and so are the public pages, in a table of their own: never a process's own memory.
    line = _cache_settings({"TRUSTED_PROXY_HEADER": "HTTP_X_REAL_IP"})
    assert line == (
        "django.contrib.sessions.backends.db kindergarten_portal.caching.cache.AtomicDatabaseCache portal_cache ''"
        " HTTP_X_REAL_IP | django.core.cache.backends.db.DatabaseCache portal_page_cache 'pages'"
    )
    assert _cache_settings({"CACHE_TABLE": "other_cache"}).startswith(
        "django.contrib.sessions.backends.db kindergarten_portal.caching.cache.AtomicDatabaseCache other_cache "
    )


def test_redis_url_makes_redis_the_cache_and_the_first_place_sessions_are_read_from():
    # ... and the public pages' cache, under a prefix of its own.
    line = _cache_settings({"REDIS_URL": "redis://127.0.0.1:6379/3", "CACHE_KEY_PREFIX": "sad12"})
    assert line.split() == [
        "django.contrib.sessions.backends.cached_db",
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
        "'sad12'",
        "|",
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/3",
        "'sad12pages'",
    ]
