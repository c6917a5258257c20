"""Every ModelAdmin of a model a kindergarten owns, walked with the canary kindergarten «Берёзка»
(tests/canary.py) on the portal: for our senior educator its object is missing (the change page
sends her to the admin index, or is a 404), no choice of the add form offers any of its rows, and no
autocomplete answers with one.

A model a kindergarten owns is one whose default manager is django-scopes' (a read outside any scope
raises ScopeError); the shared ones (organizations, directions, years, the scoring tables, accounts,
sign-in lockouts, the outbox) are not walked. The walk is generic: a new admin joins it unasked."""

import json

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from tests.canary import canary_kindergarten

pytestmark = pytest.mark.django_db


def _owned(model):
    """Whether a kindergarten owns the model: its default manager refuses a read outside a scope."""
    with scope():
        try:
            model._default_manager.filter()  # lazy: no query either way
        except ScopeError:
            return True
    return False


OWNED = sorted(
    (model for model in admin.site._registry if _owned(model)), key=lambda model: model._meta.label
)


@pytest.fixture
def canary(personas):
    return canary_kindergarten(personas)


def _theirs(model, canary):
    """The canary kindergarten's rows of the model (pks); of accounts, its people's."""
    if model is get_user_model():
        return {canary["vera"].pk, canary["metodist2"].pk}
    with scope(organization=[canary["berezka"].pk]):
        return set(model._default_manager.values_list("pk", flat=True))


def test_the_walk_covers_the_owned_models():
    labels = {model._meta.label for model in OWNED}
    assert {"staff.Employee", "events.Event", "events.EventCertificate", "reports.RatingBuild"} <= labels
    assert not labels & {"kindergarten_portal.Organization", "events.Direction", "auth.User"}


@pytest.mark.parametrize("model", OWNED, ids=lambda model: model._meta.label)
def test_her_change_page_of_the_other_kindergartens_object_is_missing(client, personas, canary, model):
    theirs = _theirs(model, canary)
    assert theirs, f"the canary has no {model._meta.label}"
    client.force_login(personas["senior"])
    opts = model._meta
    for pk in theirs:
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]))
        if response.status_code == 302:
            assert response.url == reverse("admin:index"), f"{opts.label} {pk}"
        else:
            assert response.status_code == 404, f"{opts.label} {pk}: {response.status_code}"


def _choice_querysets(form):
    for name, field in form.fields.items():
        if isinstance(field, (forms.ModelChoiceField, forms.ModelMultipleChoiceField)):
            yield name, field.queryset


@pytest.mark.parametrize("model", OWNED, ids=lambda model: model._meta.label)
def test_her_add_form_offers_nothing_of_the_other_kindergarten(client, personas, canary, model):
    opts = model._meta
    client.force_login(personas["senior"])
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    if response.status_code == 403:  # added elsewhere (an event's page, an import, a build)
        return
    assert response.status_code == 200, f"{opts.label}: {response.status_code}"
    offered = []
    # The choices as her request made them: each queryset was filtered by her scope when made.
    for name, queryset in _choice_querysets(response.context["adminform"].form):
        if _owned(queryset.model):
            canary_pks = _theirs(queryset.model, canary)
            offered += [(name, pk) for pk in queryset.values_list("pk", flat=True) if pk in canary_pks]
    assert not offered, f"{opts.label} add form offers «Берёзка»'s rows: {offered}"
    # And what the page shows: none of the canary's names.
    assert "КАНАРЕЙКА" not in response.content.decode()


AUTOCOMPLETES = [
    (model, field)
    for model, model_admin in admin.site._registry.items()
    for field in model_admin.get_autocomplete_fields(None)
]


@pytest.mark.parametrize(
    "model,field", AUTOCOMPLETES, ids=[f"{model._meta.label}.{field}" for model, field in AUTOCOMPLETES]
)
def test_no_autocomplete_answers_with_the_other_kindergartens_rows(client, personas, canary, model, field):
    client.force_login(personas["senior"])
    opts = model._meta
    related = opts.get_field(field).related_model
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": opts.app_label, "model_name": opts.model_name, "field_name": field, "term": ""},
    )
    assert response.status_code == 200, f"{opts.label}.{field}: {response.status_code}"
    found = {int(item["id"]) for item in json.loads(response.content)["results"]}
    if _owned(related) or related is get_user_model():
        assert not found & _theirs(related, canary), f"{opts.label}.{field}"
    results = json.loads(response.content)["results"]
    assert not [item for item in results if "КАНАРЕЙКА" in item["text"]], f"{opts.label}.{field}"
    # The control: her kindergarten's own senior educator is offered them.
    client.force_login(canary["metodist2"])
    theirs = client.get(
        reverse("admin:autocomplete"),
        {"app_label": opts.app_label, "model_name": opts.model_name, "field_name": field, "term": ""},
    )
    if _owned(related) or related is get_user_model():
        assert {int(item["id"]) for item in json.loads(theirs.content)["results"]} & _theirs(related, canary)
