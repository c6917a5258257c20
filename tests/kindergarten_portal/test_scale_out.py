"""Two app processes on different ports, sharing the test database (and Redis when it is the
cache), as a portal outgrowing one gunicorn would run: sessions, the registration rate limit and
the seat lock hold across them.

The processes are real gunicorn servers started against pytest-django's test database, so the data
they read must be committed (transactional tests). Requests say they came through the TLS proxy
(X-Forwarded-Proto), as in production behind nginx.
"""

import concurrent.futures
import contextlib
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test import Client

from events.models import ExternalParticipant, Participation, ParticipationStatus
from events.views import REGISTRATION_LIMIT
from tests.conftest import redis_url_or_skip
from tests.events.factories import EventFactory
from tests.factories import PASSWORD, teacher_user

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("requires_postgres")]


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _test_database_url():
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = urllib.parse.quote(db["PASSWORD"] or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class Visitor:
    """One browser: keeps its cookies (Secure ones too, the proxy speaks TLS to it) and sends the
    CSRF cookie back as the form token, as Django's forms do."""

    def __init__(self, cookies=None):
        self.cookies = dict(cookies or {})

    def request(self, base, method, path, data=None):
        host = urllib.parse.urlsplit(base).netloc
        headers = {"X-Forwarded-Proto": "https", "Host": host}
        body = None
        if method == "POST":
            data = {**(data or {}), "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{host}{path}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(host, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel.value:
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return response.status, response.headers, content
        finally:
            conn.close()

    def get(self, base, path):
        return self.request(base, "GET", path)

    def post(self, base, path, data=None):
        return self.request(base, "POST", path, data)


def _start(port, env, log):
    command = [
        *(sys.executable, "-m", "gunicorn", "kindergarten_portal.wsgi:application"),
        *(
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "8",
            "--timeout",
            "60",
            "--graceful-timeout",
            "3",
        ),
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def _wait_until_serving(process, base, log_path, timeout=45):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn at {base} exited:\n{Path(log_path).read_text()}")
        try:
            if Visitor().get(base, "/accounts/login/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"gunicorn at {base} did not answer in {timeout} s:\n{Path(log_path).read_text()}")


def server_env(*, redis):
    """The environment of app processes on the test database: the shared store is the database
    cache table, or Redis (REDIS_URL) under a key prefix of this run's own."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_KEY_PREFIX")}
    env.update(
        {
            "DATABASE_URL": _test_database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "MEDIA_ROOT": tempfile.mkdtemp(prefix="portal-media-"),
            "ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    if redis:
        env.update({"REDIS_URL": redis_url_or_skip(), "CACHE_KEY_PREFIX": f"portal-test-{uuid.uuid4().hex}"})
    return env


@contextlib.contextmanager
def running_servers(env, count=2):
    """`count` gunicorn processes on free loopback ports with `env`, serving; yields their bases
    (http://127.0.0.1:PORT) and stops them on the way out."""
    processes, logs, bases = [], [], []
    try:
        for _ in range(count):
            port = _free_port()
            log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
            logs.append(log)
            processes.append(_start(port, env, log))
            bases.append(f"http://127.0.0.1:{port}")
        for process, base, log in zip(processes, bases, logs, strict=True):
            _wait_until_serving(process, base, log.name)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
        for log in logs:
            log.close()
            os.unlink(log.name)


@pytest.fixture(scope="module", params=["database", "redis"])
def servers(request, django_db_setup):
    """Two gunicorn processes sharing the database cache table, or Redis."""
    if connection.vendor != "postgresql":
        pytest.skip("two processes share a PostgreSQL database (set DATABASE_URL)")
    with running_servers(server_env(redis=request.param == "redis")) as bases:
        yield bases


def _at_once(calls):
    """Run the calls in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))

    def released(call):
        barrier.wait(timeout=30)
        return call()

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(released, call) for call in calls]
        return [future.result(timeout=120) for future in futures]


def test_a_session_begun_on_one_process_holds_on_the_other(servers):
    first, second = servers
    user = teacher_user("anna", surname="Антонова")
    # The servers run production's hashers; the suite's fast MD5 one is unknown to them.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    anna = Visitor()
    anna.get(first, "/accounts/login/")  # the CSRF cookie
    status, headers, _ = anna.post(first, "/accounts/login/", {"username": "anna", "password": PASSWORD})
    assert (status, headers["Location"]) == (302, "/")
    status, _, body = anna.get(second, "/")
    assert status == 200
    assert "Антонова" in body or "anna" in body
    # Signing out on the second process ends the session on the first one too.
    assert anna.post(second, "/accounts/logout/")[0] == 302
    status, headers, _ = anna.get(first, "/")
    assert status == 302 and headers["Location"].startswith("/accounts/login/")


def test_thirty_simultaneous_registrations_from_one_address_store_the_limit(servers):
    event = EventFactory(is_open=True, capacity=100)
    path = f"/events/open/{event.pk}/"
    colleague = Visitor()
    assert colleague.get(servers[0], path)[0] == 200

    def register(n):
        form = {
            "full_name": "Петрова Мария Ивановна",
            "organization": "МБДОУ «Детский сад № 15»",
            "position": "воспитатель",
            "email": f"colleague{n}@example.org",
            "consent": "on",
        }
        return Visitor(colleague.cookies).post(servers[n % 2], path, form)[0]

    statuses = _at_once([lambda n=n: register(n) for n in range(30)])
    assert sorted(statuses) == [302] * REGISTRATION_LIMIT + [429] * (30 - REGISTRATION_LIMIT)
    assert ExternalParticipant.objects.filter(event=event).count() == REGISTRATION_LIMIT == 10


def test_the_last_seat_goes_to_one_teacher_across_processes(servers):
    event = EventFactory(capacity=1)
    teachers = []
    for n in range(8):
        user = teacher_user(f"teacher{n}")
        client = Client()
        client.force_login(user)  # a committed session row, as a sign-in on either process makes
        teachers.append(Visitor({"sessionid": client.cookies["sessionid"].value}))
    for n, teacher in enumerate(teachers):
        assert teacher.get(servers[n % 2], f"/events/{event.pk}/")[0] == 200

    statuses = _at_once(
        [
            lambda n=n, teacher=teacher: teacher.post(servers[n % 2], f"/events/{event.pk}/sign-up/")[0]
            for n, teacher in enumerate(teachers)
        ]
    )
    assert statuses == [302] * 8
    taken = Participation.objects.filter(event=event)
    assert taken.filter(status=ParticipationStatus.SIGNED_UP).count() == 1
    assert taken.filter(status=ParticipationStatus.WAITING).count() == 7
