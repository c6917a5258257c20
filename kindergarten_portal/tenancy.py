"""Which kindergarten a row belongs to and who reads it: a row added in the admin is the office's
kindergarten's (the portal's own while it serves one); the models a kindergarten owns are read through
a scoped manager, and every request runs in the scope of its user's kindergartens.

Part of the ground: it imports no app."""

from functools import wraps

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from django_scopes import ScopedManager, scope, scopes_disabled

from .access.employment import current_employment
from .models import Organization


def office_kindergarten(user):
    """The kindergarten an office user's new rows belong to (an import, a record added, a rating
    built): her office's (`Role`, read with the user by the sign-in backend); ours for the city
    administrator and while her role is not on record."""
    pk = getattr(user, "office_kindergarten", None)
    if pk is not None:
        return Organization.objects.get(pk=pk)
    return Organization.objects.own_or_create()


def kindergarten_of(user):
    """The kindergarten a signed-in user works in, whose name her printed plan and workbooks carry:
    her office's (her `Role`), else her current staff record's; ours for the city administrator
    (None while none is on record). One query."""
    pk = getattr(user, "office_kindergarten", None)
    if pk is None:
        employee = current_employment(user)
        pk = employee.organization_id if employee is not None else None
    if pk is None:
        return Organization.objects.own()
    return Organization.objects.get(pk=pk)


class KindergartenRecordMixin:
    """ModelAdmin mixin for a model a kindergarten owns; `kindergarten_field` names its key
    (`organization`, or `host` for events and series)."""

    kindergarten_field = "organization"

    def save_model(self, request, obj, form, change):
        if getattr(obj, f"{self.kindergarten_field}_id") is None:
            setattr(obj, self.kindergarten_field, office_kindergarten(request.user))
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        """The form checks the rules that hold per kindergarten (a group's name, a series' theme in
        a year) as the others: the kindergarten is not a field of the form, so the form, which checks
        only the constraints on its own fields, would leave them to the database's refusal."""
        form_class = super().get_form(request, obj, **kwargs)
        field = self.kindergarten_field

        class KindergartenForm(form_class):
            def validate_unique(self):
                super().validate_unique()
                if getattr(self.instance, f"{field}_id") is None:
                    setattr(self.instance, field, office_kindergarten(request.user))
                model = type(self.instance)
                others = {f.name for f in model._meta.fields} - set(self.fields) - {field}
                for constraint in model._meta.constraints:
                    if field in getattr(constraint, "fields", ()):
                        try:
                            constraint.validate(model, self.instance, exclude=others)
                        except ValidationError as error:
                            self.add_error(None, error)

        return KindergartenForm


# ---------------------------------------------------------------- every reader scoped (django-scopes)

# The one dimension rows are scoped by: the kindergarten (an Organization's id).
KINDERGARTEN = "organization"


def kindergarten_manager(path, queryset_class=models.QuerySet):
    """The default manager of a model a kindergarten owns, `path` leading from a row to its
    kindergarten. Inside a request it reads only the request's kindergartens' rows (the middleware
    below opens the scope); outside one (a command, the shell) it refuses every read with a
    ScopeError until the caller opens a scope or marks the read city-wide with `scopes_disabled()`.
    Related objects (`entry.teacher`) are read by the base manager, unscoped: a row reached from a
    row of one's own kindergarten is one's own."""
    return ScopedManager(models.Manager.from_queryset(queryset_class), **{KINDERGARTEN: path})


def kindergartens_of(user):
    """The kindergartens (ids) whose rows a request of `user` reads: every one (None) for the city
    administrator, a superuser; the office's for its senior educator and head (her `Role`); her own
    for a teacher; none for an account with neither. Read with the user by the sign-in backend
    (`office_kindergarten`, her current staff record): no query of its own.

    An anonymous visitor reads the public pages, which open their own scope (`public_page`,
    `public_list`) and show only what is public."""
    if not user.is_authenticated or user.is_superuser:
        return None
    ids = set()
    office = getattr(user, "office_kindergarten", None)
    if office is not None:
        ids.add(office)
    employee = current_employment(user)
    if employee is not None and employee.organization_id is not None:
        ids.add(employee.organization_id)
    return sorted(ids)


class KindergartenScopeMiddleware:
    """Every request runs inside the scope of its user's kindergartens (`kindergartens_of`). After
    the authentication middleware (it reads request.user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scope(**{KINDERGARTEN: kindergartens_of(request.user)}):
            return self.get_response(request)


class CityWideCommand(BaseCommand):
    """A management command that works on every kindergarten's rows (the scheduled work, imports,
    backups, the demo): it runs with the scopes disabled, deliberately."""

    def execute(self, *args, **options):
        with scopes_disabled():
            return super().execute(*args, **options)


class KindergartenCommand(BaseCommand):
    """A management command that works on one kindergarten's rows (an import, a rating build): the
    kindergarten named by `--organization` (its address, the slug), our kindergarten without it. It runs
    in that kindergarten's scope and hands it to `handle` as `kindergarten`."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--organization",
            metavar="SLUG",
            help=_("The kindergarten's address on the portal (its slug); our kindergarten if omitted."),
        )

    def execute(self, *args, **options):
        slug = options.get("organization")
        if slug:
            kindergarten = Organization.objects.filter(slug=slug).first()
            if kindergarten is None:
                raise CommandError(
                    _("No kindergarten has the address «%(slug)s» on the portal.") % {"slug": slug}
                )
        else:
            kindergarten = Organization.objects.own_or_create()
        with scope(**{KINDERGARTEN: [kindergarten.pk]}):
            return super().execute(*args, **options, kindergarten=kindergarten)


def public_page(view):
    """A public page of one thing, by its one address or its secret link (an open event, a result, a
    mini-site, a certificate and its check, a personal calendar's feed): it shows every visitor the
    same, signed in or not, and what it reads is public by its own filter or its link, whichever
    kindergarten's it is: it reads the city's rows, deliberately."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with scopes_disabled():
            return view(request, *args, **kwargs)

    return wrapper


def public_list(view):
    """A public list (open events and their calendar feed, results and their feed, the mini-sites'
    index): it shows every visitor the same, and reads one kindergarten's public rows — at its
    address (/k/<slug>/…, the `kindergarten` of the URL) that kindergarten's; at the portal's own
    addresses our kindergarten's (the first on the portal), which they served before there were
    several. A city-wide list comes with the city plan (NETWORK.md, decision 11). Under
    `cached_public_page` (its key is the address): a page served from the cache reads nothing."""

    @wraps(view)
    def wrapper(request, *args, kindergarten=None, **kwargs):
        if kindergarten is None:
            organization = Organization.objects.own()
        else:
            organization = Organization.objects.filter(slug=kindergarten).first()
            if organization is None:
                raise Http404(_("No kindergarten has this address on the portal."))
        with scope(**{KINDERGARTEN: [organization.pk] if organization is not None else []}):
            return view(request, *args, **kwargs)

    return wrapper
