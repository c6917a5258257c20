import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_TESTING")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_check({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_secret_key():
    result = run_check({"DEBUG": "false", "SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr


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


def test_cache_table_makes_workers_share_one_cache():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_TESTING")}
    env.update({"DEBUG": "true", "CACHE_TABLE": "portal_cache", "TRUSTED_PROXY_HEADER": "HTTP_X_REAL_IP"})
    code = (
        "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'], s.TRUSTED_PROXY_HEADER)"
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
    assert "django.core.cache.backends.db.DatabaseCache HTTP_X_REAL_IP" in result.stdout
