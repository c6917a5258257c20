"""Every URL of the portal × every persona → the expected status code.

Rows come from here (the frame: home, sign-in, admin index, accounts) and from each app's
`tests/<app>/access_rows.py` (a list named ROWS of (URL name, path or builder(personas),
{persona: status})). 302 for anonymous means "sent to sign in"; 404 means the object was filtered
out by the query (someone else's record looks like a missing one).
"""

import importlib
import importlib.util

import pytest
from django.urls import get_resolver, resolve, reverse

from kindergarten_portal.access.roles import HEAD, SENIOR_EDUCATOR
from kindergarten_portal.models import Organization
from tests.events.factories import OrganizationFactory
from tests.factories import UserFactory, teacher_user

PERSONAS = ["anonymous", "anna", "boris", "head", "senior"]
APPS = ("staff", "events", "portfolios", "reports")
# URL namespaces of our apps; "site" is the teachers' public mini-sites (portfolios app, /t/).
OWN_NAMESPACES = (*APPS, "site", "k")


def _superuser_change(personas):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    return reverse("admin:auth_user_change", args=[root.pk])


def _anna_account_change(personas):
    return reverse("admin:auth_user_change", args=[personas["anna"].pk])


def _at_our_address(name):
    """Our kindergarten's public page `name` at its own address (/k/<slug>/…)."""

    def url(personas):
        return reverse(name, kwargs={"kindergarten": Organization.objects.own_or_create().slug})

    url.__name__ = f"at_our_address_{name.split(':')[1]}"
    return url


PUBLIC = dict(anonymous=200, anna=200, boris=200, head=200, senior=200)


PORTAL_ROWS = [
    ("home", "/", dict(anonymous=302, anna=200, boris=200, head=200, senior=200)),
    # For the monitor: no sign-in.
    ("healthz", "/healthz", dict(anonymous=200, anna=200, boris=200, head=200, senior=200)),
    ("login", "/accounts/login/", dict(anonymous=200, anna=200, boris=200, head=200, senior=200)),
    ("privacy", "/privacy/", dict(anonymous=200, anna=200, boris=200, head=200, senior=200)),
    (
        "password_change",
        "/accounts/password_change/",
        dict(anonymous=302, anna=200, boris=200, head=200, senior=200),
    ),
    (
        "password_reset",
        "/accounts/password_reset/",
        dict(anonymous=200, anna=200, boris=200, head=200, senior=200),
    ),
    ("admin:index", "/admin/", dict(anonymous=302, anna=302, boris=302, head=200, senior=200)),
    (
        "admin:auth_user_changelist",
        "/admin/auth/user/",
        dict(anonymous=302, anna=302, boris=302, head=403, senior=200),
    ),
    # Accounts within the role: a superuser's page is out of the senior educator's reach.
    (
        "admin:auth_user_change",
        _anna_account_change,
        dict(anonymous=302, anna=302, boris=302, head=403, senior=200),
    ),
    (
        "admin:auth_user_change",
        _superuser_change,
        dict(anonymous=302, anna=302, boris=302, head=403, senior=404),
    ),
    # Sign-in lockouts (django-axes): the senior educator sees and deletes (unlocks) them.
    (
        "admin:axes_accessattempt_changelist",
        "/admin/axes/accessattempt/",
        dict(anonymous=302, anna=302, boris=302, head=403, senior=200),
    ),
    # A kindergarten's public pages at its own address: anyone's.
    ("k:index", _at_our_address("k:index"), PUBLIC),
    ("k:open_list", _at_our_address("k:open_list"), PUBLIC),
    ("k:open_ics", _at_our_address("k:open_ics"), PUBLIC),
    ("k:results", _at_our_address("k:results"), PUBLIC),
    ("k:results_feed", _at_our_address("k:results_feed"), PUBLIC),
    ("k:sites", _at_our_address("k:sites"), PUBLIC),
    # The e-mail outbox: the senior educator's only (an account's first mail carries a set-password link).
    (
        "admin:kindergarten_portal_outboxmessage_changelist",
        "/admin/kindergarten_portal/outboxmessage/",
        dict(anonymous=302, anna=302, boris=302, head=403, senior=200),
    ),
]


def _collect_rows():
    rows = list(PORTAL_ROWS)
    for app in APPS:
        if importlib.util.find_spec(f"tests.{app}.access_rows") is not None:
            rows += importlib.import_module(f"tests.{app}.access_rows").ROWS
    return rows


MATRIX = _collect_rows()


def _row_id(row):
    return row[0] + ("" if isinstance(row[1], str) else f"[{row[1].__name__.strip('_')}]")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name,url,expected", MATRIX, ids=[_row_id(row) for row in MATRIX])
def test_access_matrix(client, personas, persona, name, url, expected):
    if callable(url):
        url = url(personas)
    assert resolve(url).view_name == name
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == expected[persona], f"{persona} GET {url}"
    if expected[persona] == 302 and persona == "anonymous":
        assert response["Location"].startswith("/accounts/login/") or response["Location"].startswith(
            "/admin/login/"
        )


def test_matrix_covers_every_url_of_our_apps():
    """A new URL of staff/events/portfolios/reports (or the admin's own views) must join the matrix."""
    own = {"home", "healthz"}
    for pattern in get_resolver().url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace in OWN_NAMESPACES:
            own |= {f"{namespace}:{p.name}" for p in pattern.url_patterns if getattr(p, "name", None)}
    covered = {row[0] for row in MATRIX}
    missing = own - covered
    assert not missing, f"add these URLs to the access matrix: {sorted(missing)}"


# ---------------------------------------------------------------- the second kindergarten, mirrored

# «Берёзка»'s people, each beside our kindergarten's persona of the same role (her twin): on a page
# of no object she gets what her twin gets; on our kindergarten's objects what someone outside gets.
SECOND = {"vera": "boris", "head2": "head", "metodist2": "senior"}


@pytest.fixture
def second_kindergarten(db):
    berezka = OrganizationFactory(name="МБДОУ «Детский сад № 7 «Берёзка»»", slug="berezka")
    return {
        "vera": teacher_user("vera", surname="Берёзкина", organization=berezka),
        "head2": UserFactory(username="head2", role=HEAD, role__kindergarten=berezka),
        "metodist2": UserFactory(username="metodist2", role=SENIOR_EDUCATOR, role__kindergarten=berezka),
    }


def _mirrored(url, expected, twin):
    """What the second kindergarten's persona gets: her twin's answer on a page of no object, or on
    an object anyone may open (public, or shared by the city); None on our kindergarten's objects,
    where she is refused as someone outside is."""
    if not callable(url) or expected["anonymous"] == 200 or getattr(url, "shared", False):
        return expected[twin]
    return None


@pytest.mark.parametrize("persona", sorted(SECOND))
@pytest.mark.parametrize("name,url,expected", MATRIX, ids=[_row_id(row) for row in MATRIX])
def test_access_matrix_of_the_second_kindergarten(
    client, personas, second_kindergarten, persona, name, url, expected
):
    want = _mirrored(url, expected, SECOND[persona])
    if callable(url):
        url = url(personas)
    client.force_login(second_kindergarten[persona])
    response = client.get(url)
    if want is not None:
        assert response.status_code == want, f"{persona} GET {url}"
    elif response.status_code == 302:  # the admin's answer for a record it does not have, or to a teacher
        assert response["Location"] == reverse("admin:index") or response["Location"].startswith(
            reverse("admin:login")
        ), f"{persona} GET {url}"
    else:
        assert response.status_code in (403, 404, 405), f"{persona} GET {url}: {response.status_code}"
