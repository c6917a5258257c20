"""The portal's three roles, as Django groups, and the checks every view uses.

Group names are stable identifiers stored in the database; what users see is translated.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

SENIOR_EDUCATOR = "senior_educator"
TEACHER = "teacher"
HEAD = "head"

ROLE_LABELS = {
    SENIOR_EDUCATOR: _("Senior educator"),
    TEACHER: _("Teacher"),
    HEAD: _("Head"),
}

# Apps whose data the senior educator manages and the head reads.
PORTAL_APPS = ("staff", "events", "portfolios", "reports")


def _group_names(user):
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def is_senior_educator(user):
    return user.is_authenticated and (user.is_superuser or SENIOR_EDUCATOR in _group_names(user))


def is_head(user):
    return HEAD in _group_names(user)


def is_teacher(user):
    return TEACHER in _group_names(user)


def can_read_everything(user):
    """Senior educator and head see every teacher's records; teachers see their own."""
    return is_senior_educator(user) or is_head(user)


def role_required(*checks):
    """View decorator: signed in, and at least one of the given checks passes (else 403)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not any(check(request.user) for check in checks):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def roles_context(request):
    user = request.user
    return {
        "is_senior_educator": is_senior_educator(user),
        "is_head": is_head(user),
        "is_teacher": is_teacher(user),
    }


def sync_role_permissions(apps=None):
    """Create the three groups and give them their permissions; safe to run again.

    Senior educator: every permission of the portal's apps plus user accounts, reading the
    e-mail outbox (not the head: an account's first mail carries a set-password link), and seeing
    and deleting sign-in lockouts (django-axes' access attempts): deleting one unlocks the account.
    Head: view permissions of the portal's apps (read-only admin).
    Teacher: no admin permissions; self-service pages check ownership in their queries.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    senior, _created = Group.objects.get_or_create(name=SENIOR_EDUCATOR)
    head, _created = Group.objects.get_or_create(name=HEAD)
    Group.objects.get_or_create(name=TEACHER)

    portal_perms = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
    user_perms = Permission.objects.filter(content_type__app_label="auth", content_type__model="user")
    outbox_perms = Permission.objects.filter(
        content_type__app_label="kindergarten_portal", codename="view_outboxmessage"
    )
    lockout_perms = Permission.objects.filter(
        content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt"]
    )
    senior.permissions.add(*portal_perms, *user_perms, *outbox_perms, *lockout_perms)
    head.permissions.add(*portal_perms.filter(codename__startswith="view_"))
