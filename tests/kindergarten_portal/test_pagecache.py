"""The public pages' cache (kindergarten_portal.caching.pagecache): shared by every process, kept under a
version the portal's services, receivers and admin bump, with only the query parameters a view
names; and the Cache-Control of what is one person's alone (kindergarten_portal.middleware)."""

import datetime
import io

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.models import EventStatus
from events.services import calendar_token_get, certificate_issue
from kindergarten_portal.caching.pagecache import VERSION_KEY, bump_public_pages
from portfolios.models import MiniSite
from staff.access import staff_record
from tests.events.factories import EventFactory, ExternalParticipantFactory, in_days
from tests.portfolios.factories import published_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(anna):
    return published_site(staff_record(anna), slug="antonova")


def _site_url(site):
    return reverse("site:page", args=[site.slug])


def test_no_process_keeps_pages_of_its_own():
    backends = {config["BACKEND"] for config in django_settings.CACHES.values()}
    assert not any(backend.endswith(("LocMemCache", "DummyCache", "FileBasedCache")) for backend in backends)


def test_the_office_unticking_published_takes_the_site_down_at_once(client, site, senior):
    first = client.get(_site_url(site))
    assert first.status_code == 200 and "Антонова" in first.content.decode()
    assert client.get(_site_url(site), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    office = type(client)()
    office.force_login(senior)
    change = reverse("admin:portfolios_minisite_change", args=[site.pk])
    form = office.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(published="", teacher=site.teacher_id)
    response = office.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not MiniSite.objects.get(pk=site.pk).published
    assert client.get(_site_url(site)).status_code == 404
    assert client.get(_site_url(site), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404
    assert client.get(reverse("site:index")).content.decode().count("antonova") == 0


def test_a_dismissal_takes_the_site_down_at_once(client, site):
    assert client.get(_site_url(site)).status_code == 200
    employee = site.teacher
    employee.dismissal_date = timezone.localdate()
    employee.save()
    assert client.get(_site_url(site)).status_code == 404


def test_the_etag_changes_with_the_version(client, site):
    first = client.get(_site_url(site))
    bump_public_pages()
    again = client.get(_site_url(site), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert "Антонова" in again.content.decode()  # the same page, stored anew under the new version


def test_a_write_outside_the_portals_code_shows_after_the_command(client, site):
    client.get(_site_url(site))
    MiniSite.objects.filter(pk=site.pk).update(about="Пишу сказки")  # no signal, as through psql
    assert "Пишу сказки" not in client.get(_site_url(site)).content.decode()
    call_command("bump_public_pages", stdout=io.StringIO())
    assert "Пишу сказки" in client.get(_site_url(site)).content.decode()


def test_results_published_show_at_once(client):
    event = EventFactory(title="Педагогический аукцион", start=in_days(-3), status=EventStatus.HELD)
    assert "Педагогический аукцион" not in client.get(reverse("events:results")).content.decode()
    event.results_published = True
    event.save()
    assert "Педагогический аукцион" in client.get(reverse("events:results")).content.decode()
    event.results_published = False
    event.save()
    assert client.get(reverse("events:result_detail", args=[event.pk])).status_code == 404


def test_only_the_parameters_a_view_names_are_kept(client):
    EventFactory(
        title="Педагогический аукцион", start=in_days(-3), status=EventStatus.HELD, results_published=True
    )
    url = reverse("events:results")
    assert client.get(url, {"page": "1"}).has_header("ETag")  # `page` is the results' own
    made_up = client.get(url, {"utm_source": "mail"})
    assert made_up.status_code == 200 and "Педагогический аукцион" in made_up.content.decode()
    assert not made_up.has_header("ETag")  # rendered, never stored
    assert not client.get(url, {"page": "1" * 40}).has_header("ETag")  # nor a value made up by hand
    # A made-up parameter beside `page` is not kept either: the page's links could carry it on.
    assert not client.get(url, {"page": "1", "utm_source": "mail"}).has_header("ETag")


def test_the_version_is_kept_without_expiry(client, site):
    client.get(_site_url(site))
    assert caches["pages"].get(VERSION_KEY)


# ---------------------------------------------------------------- Cache-Control


def test_every_signed_in_answer_is_private_and_not_stored(client, anna):
    published = EventFactory(is_open=True, title="Открытый показ")
    anonymous = client.get(reverse("events:open_list"))
    assert anonymous["Cache-Control"] == "no-cache"  # shared, revalidated each time
    client.force_login(anna)
    for url in (
        "/",
        reverse("events:my"),
        reverse("events:open_list"),
        reverse("events:detail", args=[published.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store", url
    redirect = client.get(reverse("events:plan"))
    assert redirect.status_code == 302 and redirect["Cache-Control"] == "private, no-store"


def test_files_reached_by_a_secret_address_are_not_stored(client, anna):
    event = EventFactory(
        is_open=True,
        start=timezone.make_aware(datetime.datetime(2026, 5, 15, 10, 0)),
        status=EventStatus.HELD,
    )
    external = ExternalParticipantFactory(event=event, full_name="Петрова Мария Ивановна", attended=True)
    certificate = certificate_issue(external_participant=external)
    pdf = client.get(reverse("events:external_certificate", args=[certificate.token]))
    assert (pdf.status_code, pdf["Content-Type"], pdf["Cache-Control"]) == (
        200,
        "application/pdf",
        "private, no-store",
    )
    token = calendar_token_get(employee=staff_record(anna)).token
    ics = client.get(reverse("events:personal_ics", args=[token]))
    assert (ics.status_code, ics["Cache-Control"]) == (200, "private, no-store")
    assert b"BEGIN:VCALENDAR" in ics.content
