"""The environment of a test run, set before Django reads its settings.

The suite runs the production settings (DEBUG off, whitenoise's manifest storage, secure cookie
flags); only the password hasher is swapped for a fast one. pytest-django would load settings named
in the pytest ini before any conftest is imported, so the settings module is named here instead,
after the environment it reads is in place (pytest-django: "configure the Django settings in a
conftest").
"""

import os
import shutil
import tempfile

import django
import pytest
from django.conf import settings
from django.core.management import call_command

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindergarten_portal.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")
# The test client and the live server speak plain HTTP: no redirect to HTTPS (else as production).
os.environ["SECURE_SSL_REDIRECT"] = "false"
# collectstatic runs once per session into a directory of its own, never into the project's.
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-static-")
os.environ["STATIC_ROOT"] = STATIC_ROOT

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
django.setup()


@pytest.fixture(scope="session", autouse=True)
def _collected_static():
    """{% static %} resolves through the manifest, as in production: the files are collected first."""
    call_command("collectstatic", interactive=False, verbosity=0)


def pytest_unconfigure(config):
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
