"""Account management within the role: the senior educator cannot raise anyone above the roles."""

import pytest
from django.contrib.auth.models import Group, Permission

from kindergarten_portal.access.roles import HEAD, SENIOR_EDUCATOR, TEACHER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

USERS = "/admin/auth/user/"


def _change_data(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-10",
        "date_joined_1": "09:00:00",
        "_save": "Save",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(overrides)
    return data


@pytest.fixture
def root(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_superusers_are_not_in_her_list_and_their_pages_are_404(client, senior, root):
    client.force_login(senior)
    listing = client.get(USERS).content.decode()
    assert "senior" in listing and "root" not in listing
    assert client.get(f"{USERS}{root.pk}/change/").status_code == 404
    assert client.get(f"{USERS}{root.pk}/password/").status_code == 404
    assert client.get(f"{USERS}{root.pk}/delete/").status_code == 404
    response = client.post(f"{USERS}{root.pk}/change/", _change_data(root, is_active=""))
    assert response.status_code == 404
    root.refresh_from_db()
    assert root.is_active


def test_ticking_superuser_on_herself_is_ignored(client, senior):
    client.force_login(senior)
    page = client.get(f"{USERS}{senior.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    any_permission = Permission.objects.get(codename="delete_group")
    response = client.post(
        f"{USERS}{senior.pk}/change/",
        _change_data(senior, is_superuser="on", user_permissions=[any_permission.pk]),
    )
    assert response.status_code == 302
    senior.refresh_from_db()
    assert not senior.is_superuser
    assert not senior.user_permissions.exists()


def test_only_the_three_role_groups_can_be_given(client, senior, anna):
    outsiders = Group.objects.create(name="outsiders")
    outsiders.permissions.add(Permission.objects.get(codename="change_group"))
    client.force_login(senior)
    page = client.get(f"{USERS}{anna.pk}/change/").content.decode()
    assert f'value="{outsiders.pk}"' not in page
    refused = client.post(f"{USERS}{anna.pk}/change/", _change_data(anna, groups=[outsiders.pk]))
    assert refused.status_code == 200  # the form again, with the error
    assert list(anna.groups.values_list("name", flat=True)) == [TEACHER]
    head_group = Group.objects.get(name=HEAD)
    assert (
        client.post(f"{USERS}{anna.pk}/change/", _change_data(anna, groups=[head_group.pk])).status_code
        == 302
    )
    assert list(anna.groups.values_list("name", flat=True)) == [HEAD]


def test_she_still_creates_and_edits_teachers(client, senior, anna):
    client.force_login(senior)
    response = client.post(
        f"{USERS}add/",
        {"username": "vera", "password1": "", "password2": "", "usable_password": "false", "_save": "Save"},
    )
    assert response.status_code == 302
    response = client.post(f"{USERS}{anna.pk}/change/", _change_data(anna, first_name="Анна"))
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.first_name == "Анна"


def test_a_superuser_keeps_every_field(client, root, senior):
    client.force_login(root)
    page = client.get(f"{USERS}{senior.pk}/change/").content.decode()
    assert 'name="is_superuser"' in page and 'name="user_permissions"' in page
    client.post(f"{USERS}{senior.pk}/change/", _change_data(senior, is_superuser="on"))
    senior.refresh_from_db()
    assert senior.is_superuser and senior.groups.filter(name=SENIOR_EDUCATOR).exists()
