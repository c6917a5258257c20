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
# The ground's models the office edits and the head reads (the organizations of the network).
GROUND_MODELS = ("organization", "networkmembership")
# The groups that are an office role in a kindergarten (a `Role` row says which).
OFFICE_ROLES = (SENIOR_EDUCATOR, HEAD)


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

    portal_perms = Permission.objects.filter(
        content_type__app_label__in=PORTAL_APPS
    ) | Permission.objects.filter(
        content_type__app_label="kindergarten_portal", content_type__model__in=GROUND_MODELS
    )
    user_perms = Permission.objects.filter(content_type__app_label="auth", content_type__model="user")
    outbox_perms = Permission.objects.filter(
        content_type__app_label="kindergarten_portal", codename="view_outboxmessage"
    )
    lockout_perms = Permission.objects.filter(
        content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt"]
    )
    senior.permissions.add(*portal_perms, *user_perms, *outbox_perms, *lockout_perms)
    head.permissions.add(*portal_perms.filter(codename__startswith="view_"))


def office_roles_sync(user_ids=None):
    """While the portal serves one kindergarten, the office groups also say where: a member of the
    senior educator's or the head's group holds that role in our kindergarten (a `Role` row), and
    loses it with the group (unless her role is in another kindergarten). Runs when group membership changes (`office_roles_follow_groups`, for
    those users) and when an organization becomes our kindergarten (for every member); nothing while
    no kindergarten is on record (it gets its roles when it is)."""
    from django.contrib.auth import get_user_model

    from kindergarten_portal.models import Organization, Role

    own = Organization.objects.own()
    if own is None:
        return
    memberships = get_user_model().groups.through.objects.filter(group__name__in=OFFICE_ROLES)
    held = Role.objects.filter(organization=own)
    if user_ids is not None:
        memberships, held = memberships.filter(user_id__in=user_ids), held.filter(user_id__in=user_ids)
    # Someone whose role is in another kindergarten is that one's: her groups say what, not where.
    elsewhere = Role.objects.exclude(organization=own).values("user_id")
    memberships = memberships.exclude(user_id__in=elsewhere)
    wanted = set(memberships.values_list("user_id", "group__name"))
    held = set(held.values_list("user_id", "role"))
    Role.objects.bulk_create(
        [Role(user_id=user, organization=own, role=role) for user, role in wanted - held]
    )
    for user, role in held - wanted:
        Role.objects.filter(user_id=user, organization=own, role=role).delete()


def office_roles_follow_groups(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed of User.groups, from either side (user.groups.add(…), group.user_set.remove(…))."""
    if action == "pre_clear" and reverse:
        instance._members_cleared = list(instance.user_set.values_list("pk", flat=True))
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        office_roles_sync([instance.pk])
    elif action == "post_clear":
        office_roles_sync(getattr(instance, "_members_cleared", []))
    else:
        office_roles_sync(list(pk_set))
