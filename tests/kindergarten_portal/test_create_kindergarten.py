"""Creating a kindergarten: `manage.py create_kindergarten` and the city administrator's admin page
put a kindergarten on the portal with its first senior educator (kindergarten_portal.kindergartens),
who works in it alone and is e-mailed a link to set her password."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from kindergarten_portal.mail.outbox import SET_PASSWORD_TOKEN
from kindergarten_portal.models import Organization, OrganizationKind, OutboxMessage, Role, RoleKind
from staff.models import KindergartenGroup
from tests.factories import EmployeeFactory, UserFactory
from tests.outbox import send_queued

pytestmark = pytest.mark.django_db

NAME = "МБДОУ «Детский сад № 12 «Солнышко»»"
ADMIN_URL = "/admin/kindergarten_portal/organization/add-kindergarten/"


@pytest.fixture
def ours(db):
    """Our kindergarten, with a senior educator (the group sync gives her a role in it) and staff."""
    own = Organization.objects.own_or_create()
    UserFactory(username="senior", role=SENIOR_EDUCATOR)
    EmployeeFactory(surname="Антонова")
    EmployeeFactory(surname="Солнцева")
    return own


def _create(*args, **options):
    out = io.StringIO()
    call_command("create_kindergarten", *args, stdout=out, **options)
    return out.getvalue()


def _written():
    return (
        Organization.objects.count(),
        get_user_model().objects.count(),
        Role.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_the_command_makes_the_kindergarten_and_its_senior_educator(ours):
    out = _create(
        NAME, slug="ds-12", short_name="Детский сад № 12", senior_educator="metodist12", email="m@ds12.ru"
    )
    kindergarten = Organization.objects.get(slug="ds-12")
    assert (kindergarten.name, kindergarten.short_name) == (NAME, "Детский сад № 12")
    assert kindergarten.kind == OrganizationKind.KINDERGARTEN and not kindergarten.is_own
    assert Organization.objects.own() == ours  # ours stays the portal's own
    user = get_user_model().objects.get(username="metodist12")
    assert user.is_staff and not user.is_superuser and user.email == "m@ds12.ru"
    assert list(user.groups.values_list("name", flat=True)) == [SENIOR_EDUCATOR]
    # Her one role, in her kindergarten: none in ours (the group sync leaves her to hers).
    assert list(Role.objects.filter(user=user).values_list("organization", "role")) == [
        (kindergarten.pk, RoleKind.SENIOR_EDUCATOR)
    ]
    assert "Детский сад № 12 «Солнышко»" in out and "ds-12" in out and "metodist12" in out
    assert "Письмо со ссылкой для пароля поставлено в очередь." in out


def test_her_first_mail_holds_a_set_password_link_completed_when_sent(ours, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    _create(NAME, slug="ds-12", senior_educator="metodist12", email="m@ds12.ru")
    user = get_user_model().objects.get(username="metodist12")
    message = OutboxMessage.objects.get()
    assert message.recipient == "m@ds12.ru" and message.link_user_id == user.pk
    assert "/accounts/reset/" in message.body and SET_PASSWORD_TOKEN in message.body
    assert "metodist12" in message.body and NAME in message.body
    assert "старшего воспитателя" in message.subject
    assert send_queued() == 1
    assert "https://portal.example.org/accounts/reset/" in mail.outbox[0].body
    assert SET_PASSWORD_TOKEN not in mail.outbox[0].body


def test_her_password_is_unknown_and_a_forgotten_link_can_be_asked_for_again(client, ours):
    _create(NAME, slug="ds-12", senior_educator="metodist12", email="m@ds12.ru")
    user = get_user_model().objects.get(username="metodist12")
    assert user.has_usable_password() and not user.check_password("")
    # The portal's «forgot password» finds her (Django's form skips unusable passwords).
    client.post(reverse("password_reset"), {"email": "m@ds12.ru"})
    assert OutboxMessage.objects.filter(link_user_id=user.pk).count() == 2


def test_without_a_slug_the_address_is_made_from_the_name(ours):
    _create(NAME, senior_educator="metodist12", email="m@ds12.ru")
    assert Organization.objects.get(name=NAME).slug == "mbdou-detskii-sad-12-solnyshko"


@pytest.mark.parametrize(
    "args,options,says",
    [
        (["Детский сад № 5"], {"slug": "ds-5"}, "уже есть на портале"),  # a taken name
        ([NAME], {"slug": "ds-5"}, "занят"),  # a taken address
        ([NAME], {"slug": "ДС 12"}, "только латинские буквы"),  # a bad address
        ([NAME], {"slug": "ds_12"}, "только латинские буквы"),
        ([NAME], {"slug": "ds-12", "senior_educator": "senior"}, "Логин «senior» занят"),
        ([NAME], {"slug": "ds-12", "email": ""}, "электронную почту"),  # no e-mail
        ([NAME], {"slug": "ds-12", "email": "m-at-ds12.ru"}, "не адрес электронной почты"),
        ([NAME], {"slug": "ds-12", "senior_educator": ""}, "логин"),
    ],
)
def test_every_refusal_writes_nothing_and_says_why(ours, args, options, says):
    Organization.objects.create(name="Детский сад № 5", slug="ds-5", kind=OrganizationKind.KINDERGARTEN)
    before = _written()
    options = {"senior_educator": "metodist12", "email": "m@ds12.ru", **options}
    with pytest.raises(CommandError, match=says):
        _create(*args, **options)
    assert _written() == before


def test_a_name_with_no_letters_for_an_address_asks_for_one(ours):
    before = _written()
    with pytest.raises(CommandError, match="--slug|адрес"):
        _create("№ —", senior_educator="metodist12", email="m@ds12.ru")
    assert _written() == before


def test_a_taken_name_is_refused_whatever_its_letter_case(ours):
    with pytest.raises(CommandError, match="уже есть на портале"):
        _create(ours.name.upper(), slug="ds-12", senior_educator="metodist12", email="m@ds12.ru")


# ---------------------------------------------------------------- she works in her kindergarten alone


def test_the_new_senior_educator_sees_none_of_our_staff_and_adds_to_hers(client, ours):
    _create(NAME, slug="ds-12", senior_educator="metodist12", email="m@ds12.ru")
    kindergarten = Organization.objects.get(slug="ds-12")
    client.force_login(get_user_model().objects.get(username="metodist12"))
    page = client.get("/admin/staff/employee/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Антонова" not in text and "Солнцева" not in text
    response = client.post(
        reverse("admin:staff_kindergartengroup_add"), {"name": "Капелька", "orientation": "general"}
    )
    assert response.status_code == 302
    assert KindergartenGroup.objects.get(name="Капелька").organization == kindergarten
    # …and our senior educator does not see it.
    ours_client = Client()
    ours_client.force_login(get_user_model().objects.get(username="senior"))
    listing = ours_client.get(reverse("admin:staff_kindergartengroup_changelist")).content.decode()
    assert "Капелька" not in listing


# ---------------------------------------------------------------- the city administrator's admin page


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _form(**fields):
    return {
        "name": NAME,
        "short_name": "Детский сад № 12",
        "slug": "ds-12",
        "username": "metodist12",
        "email": "m@ds12.ru",
        **fields,
    }


def test_the_city_administrator_adds_a_kindergarten_in_the_admin(client, ours, root):
    client.force_login(root)
    listing = client.get(reverse("admin:kindergarten_portal_organization_changelist")).content.decode()
    assert ADMIN_URL in listing
    assert client.get(ADMIN_URL).status_code == 200
    response = client.post(ADMIN_URL, _form(), follow=True)
    kindergarten = Organization.objects.get(slug="ds-12")
    assert response.redirect_chain[-1][0] == reverse(
        "admin:kindergarten_portal_organization_change", args=[kindergarten.pk]
    )
    assert "metodist12" in response.content.decode()
    user = get_user_model().objects.get(username="metodist12")
    assert list(Role.objects.filter(user=user).values_list("organization", flat=True)) == [kindergarten.pk]
    message = OutboxMessage.objects.get()
    assert message.recipient == "m@ds12.ru" and message.link_user_id == user.pk
    assert "http://testserver/accounts/reset/" in message.body


def test_the_admin_page_keeps_what_was_typed_and_says_why_it_refused(client, ours, root):
    client.force_login(root)
    before = _written()
    response = client.post(ADMIN_URL, _form(slug="ДС 12", username="senior"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "только латинские буквы" in page and "Логин «senior» занят" in page
    assert 'value="m@ds12.ru"' in page and 'value="Детский сад № 12"' in page
    assert _written() == before


def test_the_admin_page_is_the_city_administrators_only(client, ours):
    client.force_login(get_user_model().objects.get(username="senior"))
    assert client.get(ADMIN_URL).status_code == 403
    assert client.post(ADMIN_URL, _form()).status_code == 403
    assert not Organization.objects.filter(slug="ds-12").exists()
    listing = client.get(reverse("admin:kindergarten_portal_organization_changelist")).content.decode()
    assert ADMIN_URL not in listing
