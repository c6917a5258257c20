"""Two kindergartens on one portal: each one's office and teachers see nothing of the other's staff
records and groups — in the admin's lists, change pages, choices and autocomplete, on the office's
pages and in what a command reads — because every request runs in its user's kindergarten's scope
(django-scopes, kindergarten_portal.tenancy), and a command in the kindergarten it names.

Our kindergarten (K1) has the usual personas (anna, boris, head, senior); «Берёзка» (K2) its own
senior educator (metodist2), head (head2) and teacher (vera)."""

import io
import json

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from django_scopes.exceptions import ScopeError
from openpyxl import Workbook

from events.services import plan_publish
from kindergarten_portal.access.roles import HEAD, SENIOR_EDUCATOR
from kindergarten_portal.models import Organization
from reports.models import RatingBuild
from staff.access import staff_record
from staff.indicators import self_evaluation_indicators
from staff.models import Employee, KindergartenGroup
from tests.events.factories import EventFactory, in_days
from tests.factories import EmployeeFactory, KindergartenGroupFactory, UserFactory, teacher_user
from tests.reports.factories import current_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(berezka):
    """K2's people and a group, all marked «Берёзка» in their names."""
    group = KindergartenGroupFactory(name="Берёзка-Ромашка", organization=berezka)
    vera = teacher_user("vera", surname="Берёзкина", organization=berezka)
    staff_record(vera).groups.add(group)
    EmployeeFactory(surname="Берёзова", organization=berezka)
    return {
        "vera": vera,
        "senior2": UserFactory(username="metodist2", role=SENIOR_EDUCATOR, role__kindergarten=berezka),
        "head2": UserFactory(username="head2", role=HEAD, role__kindergarten=berezka),
        "group": group,
    }


@pytest.fixture
def first(personas):
    """K1's people and a group, marked «Солнышко»."""
    KindergartenGroupFactory(name="Солнышко-Ромашка")
    EmployeeFactory(surname="Солнцева")
    return personas


def _names(response):
    return response.content.decode()


def test_each_office_lists_only_its_own_staff_in_the_admin(client, first, second):
    client.force_login(second["senior2"])
    page = _names(client.get(reverse("admin:staff_employee_changelist")))
    assert "Берёзкина" in page and "Берёзова" in page
    assert "Солнцева" not in page and "Антонова" not in page
    client.force_login(first["senior"])
    page = _names(client.get(reverse("admin:staff_employee_changelist")))
    assert "Солнцева" in page and "Антонова" in page
    assert "Берёз" not in page
    page = _names(client.get(reverse("admin:staff_kindergartengroup_changelist")))
    assert "Солнышко-Ромашка" in page and "Берёзка-Ромашка" not in page


@pytest.mark.parametrize("persona", ["senior2", "head2"])
def test_another_kindergartens_staff_record_is_missing_for_her_office(client, first, second, persona):
    anna = staff_record(first["anna"])
    client.force_login(second[persona])
    response = client.get(reverse("admin:staff_employee_change", args=[anna.pk]))
    # The admin's answer for a record that does not exist: back to the index, saying so.
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert client.get(reverse("staff:photo", args=[anna.pk])).status_code == 404


def test_the_choices_and_the_autocomplete_offer_only_her_kindergartens_staff(client, first, second):
    client.force_login(second["senior2"])
    form = _names(client.get(reverse("admin:staff_employee_add")))
    assert "Берёзка-Ромашка" in form and "Солнышко-Ромашка" not in form  # the groups to pick
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "staff", "model_name": "training", "field_name": "employee", "term": ""},
    )
    names = [item["text"] for item in json.loads(found.content)["results"]]
    assert names and all("Берёз" in name for name in names)
    # A typed-in id of the other kindergarten's record is refused as any unknown one.
    anna = staff_record(first["anna"])
    response = client.post(
        reverse("admin:staff_training_add"),
        {"employee": anna.pk, "kind": "course", "programme": "Чужая программа", "hours": 72},
    )
    assert response.status_code == 200 and "employee" in response.context["adminform"].form.errors


def test_the_office_pages_count_only_her_kindergarten(client, first, second, berezka):
    client.force_login(second["head2"])
    shown = client.get(reverse("staff:self_evaluation")).context["evaluation"]
    with scope(organization=[berezka.pk]):
        theirs = self_evaluation_indicators(on=timezone.localdate())
    with scope(organization=None):
        everyone = self_evaluation_indicators(on=timezone.localdate())
    assert shown == theirs and shown != everyone


def test_a_command_reads_the_kindergarten_it_names(first, second, berezka):
    call_command("build_rating", "--organization", "berezka", stdout=io.StringIO())
    build = RatingBuild.objects.get()
    assert build.organization == berezka
    assert set(build.rows.values_list("teacher__surname", flat=True)) == {"Берёзкина", "Берёзова"}
    call_command("build_rating", stdout=io.StringIO())  # ours by default
    ours = RatingBuild.objects.exclude(pk=build.pk).get()
    assert ours.organization == Organization.objects.own()
    assert not {"Берёзкина", "Берёзова"} & set(ours.rows.values_list("teacher__surname", flat=True))


def test_an_unknown_kindergarten_is_named_in_the_error(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="nowhere"):
        call_command("build_rating", "--organization", "nowhere", stdout=io.StringIO())


def test_outside_a_request_and_a_scope_a_read_fails_instead_of_leaking(second, berezka):
    # The tests run city-wide (conftest); here the net as code outside a request meets it.
    with scope(organization=[berezka.pk]):
        assert set(Employee.objects.values_list("surname", flat=True)) == {"Берёзкина", "Берёзова"}
        assert list(KindergartenGroup.objects.values_list("name", flat=True)) == ["Берёзка-Ромашка"]
    with scope(), pytest.raises(ScopeError):
        list(Employee.objects.all())


def test_what_her_office_adds_imports_and_builds_is_her_kindergartens(client, first, second, berezka):
    client.force_login(second["senior2"])
    response = client.post(
        reverse("admin:staff_kindergartengroup_add"), {"name": "Берёзка-Капелька", "orientation": "general"}
    )
    assert response.status_code == 302
    assert KindergartenGroup.objects.get(name="Берёзка-Капелька").organization == berezka
    book = Workbook()
    book.active.append(["Фамилия", "Имя", "Отчество", "Должность"])
    book.active.append(["Березина", "Ольга", "Ивановна", "воспитатель"])
    data = io.BytesIO()
    book.save(data)
    client.post(
        reverse("admin:staff_employee_import"),
        {"file": SimpleUploadedFile("staff.xlsx", data.getvalue()), "apply": "1"},
    )
    assert Employee.objects.get(surname="Березина").organization == berezka
    response = client.post(
        reverse("admin:reports_ratingbuild_build"), {"academic_year": current_year().pk}, follow=True
    )
    build = RatingBuild.objects.get()
    assert build.organization == berezka
    assert set(build.rows.values_list("teacher__surname", flat=True)) == {"Берёзкина", "Берёзова", "Березина"}


def test_her_office_manages_only_her_kindergartens_accounts(client, first, second):
    client.force_login(second["senior2"])
    listed = _names(client.get(reverse("admin:auth_user_changelist")))
    assert "vera" in listed and "head2" in listed
    assert ">anna<" not in listed and ">boris<" not in listed and ">senior<" not in listed
    assert client.get(reverse("admin:auth_user_change", args=[first["anna"].pk])).status_code == 404


def test_a_public_page_of_one_kindergarten_reads_the_same_to_everyone(client, first, second):
    event = EventFactory(
        title="Открытый семинар «Солнышка»", is_open=True, start=in_days(5), end=in_days(5, 12)
    )
    url = reverse("events:open_detail", args=[event.pk])
    anonymous = client.get(url)
    client.force_login(second["vera"])
    signed_in = client.get(url)
    assert anonymous.status_code == signed_in.status_code == 200
    assert "Открытый семинар «Солнышка»" in _names(signed_in)
    # …while the plan's page of that event is our kindergarten's teachers' only.
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404


def test_every_command_of_ours_says_whose_rows_it_reads():
    """A command reads one kindergarten (in its scope) or the whole city (deliberately); one that
    reads no owned model may stay a plain command."""
    from django.core.management import get_commands, load_command_class

    from kindergarten_portal.tenancy import CityWideCommand, KindergartenCommand

    reads_no_owned_rows = {"bump_public_pages"}
    ours = {
        name: app
        for name, app in get_commands().items()
        if app in ("kindergarten_portal", "staff", "events", "portfolios", "reports")
    }
    assert "build_rating" in ours and "import_staff" in ours
    for name, app in ours.items():
        command = load_command_class(app, name)
        assert isinstance(command, (CityWideCommand, KindergartenCommand)) or name in reads_no_owned_rows, (
            name
        )


def test_names_and_months_are_each_kindergartens_own(client, first, second, berezka):
    """«Солнышко» is a group in both, each may publish January, each may run a series on a theme;
    twice in one kindergarten is refused with the reason, not by the database."""
    KindergartenGroupFactory(name="Солнышко")
    client.force_login(second["senior2"])
    add = reverse("admin:staff_kindergartengroup_add")
    assert client.post(add, {"name": "Солнышко", "orientation": "general"}).status_code == 302
    again = client.post(add, {"name": "Солнышко", "orientation": "general"})
    assert again.status_code == 200
    assert "В детском саду уже есть группа с таким названием." in _names(again)
    assert KindergartenGroup.objects.filter(name="Солнышко").count() == 2
    series = {"theme": "Игра", "academic_year": 2026, "description": ""}
    assert client.post(reverse("admin:events_series_add"), series).status_code == 302
    client.force_login(first["senior"])
    assert client.post(reverse("admin:events_series_add"), series).status_code == 302
    assert client.post(reverse("admin:events_series_add"), series).status_code == 200
    mine, created = plan_publish(year=2027, month=1, organization=Organization.objects.own())
    theirs, created_too = plan_publish(year=2027, month=1, organization=berezka)
    assert created and created_too and mine != theirs


def test_her_office_sees_only_her_kindergartens_sign_in_lockouts(client, first, second):
    for username in ("anna", "vera", "nobody-at-all"):
        AccessAttempt.objects.create(username=username, ip_address="10.0.0.1", failures_since_start=5)
    client.force_login(second["senior2"])
    listed = _names(client.get(reverse("admin:axes_accessattempt_changelist")))
    assert "vera" in listed and "anna" not in listed and "nobody-at-all" not in listed
    client.force_login(first["senior"])
    listed = _names(client.get(reverse("admin:axes_accessattempt_changelist")))
    assert "anna" in listed and "vera" not in listed


def test_a_kindergartens_own_address_shows_its_public_pages_only(client, first, second, berezka):
    ours = EventFactory(
        title="Открытый семинар «Солнышка»", is_open=True, start=in_days(5), end=in_days(5, 12)
    )
    theirs = EventFactory(
        title="Открытый семинар «Берёзки»", is_open=True, start=in_days(6), end=in_days(6, 12), host=berezka
    )
    page = _names(client.get(reverse("k:open_list", kwargs={"kindergarten": "berezka"})))
    assert theirs.title in page and ours.title not in page
    index = _names(client.get(reverse("k:index", kwargs={"kindergarten": "berezka"})))
    assert theirs.title in index and ours.title not in index
    feed = _names(client.get(reverse("k:open_ics", kwargs={"kindergarten": "berezka"})))
    assert "Берёзки" in feed and "Солнышка" not in feed
    own = Organization.objects.own()
    page = _names(client.get(reverse("k:open_list", kwargs={"kindergarten": own.slug})))
    assert ours.title in page and theirs.title not in page
    # The portal's own addresses keep serving our kindergarten (the first), as before there were
    # several; each event's own page opens by its one address, whoever hosts it.
    for name in ("events:open_list", "events:open_ics"):
        listed = _names(client.get(reverse(name)))
        assert "Солнышка" in listed and "Берёзки" not in listed, name
    assert theirs.title in _names(client.get(reverse("events:open_detail", args=[theirs.pk])))
    assert client.get("/k/nowhere/events/open/").status_code == 404
