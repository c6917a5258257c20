"""Adding a kindergarten to the portal: its record and its first senior educator, whose first e-mail
carries a set-password link. The city administrator's `create_kindergarten` command and the
organizations' admin page both call `kindergarten_create`.

Part of the ground: it imports no app."""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from .access.roles import SENIOR_EDUCATOR
from .mail.outbox import absolute_url, outbox_queue, set_password_path
from .models import Organization, OrganizationKind, OutboxMessage, Role, RoleKind
from .typography import inner_quotes, slug_of

# An address on the portal (/k/<slug>/): Latin letters, digits, words joined by single hyphens.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

KIND = "kindergarten_portal.kindergarten_created"


@dataclass
class NewKindergarten:
    kindergarten: Organization
    senior_educator: object  # the User
    message: OutboxMessage | None


def _name_taken(name):
    """Whether an organization has this name, whatever its letters' case (compared here: SQLite folds
    the case of Latin letters only). A city's organizations are a few hundred names."""
    folded = name.casefold()
    return any(n.casefold() == folded for n in Organization.objects.values_list("name", flat=True))


def kindergarten_create_errors(*, name, slug, short_name, username, email) -> dict:
    """What keeps these from becoming a kindergarten and its senior educator: {field: message};
    empty when nothing does. `slug` is the one to be used (see `kindergarten_create`)."""
    errors = {}
    slug_field = Organization._meta.get_field("slug")
    if not name:
        errors["name"] = _("Give the kindergarten's name.")
    elif len(name) > Organization._meta.get_field("name").max_length:
        errors["name"] = _("The kindergarten's name is too long.")
    elif _name_taken(name):
        errors["name"] = _("An organization named «%(name)s» is already on the portal.") % {
            "name": inner_quotes(name)
        }
    if not slug:
        errors["slug"] = _(
            "Give the kindergarten's address on the portal: Latin letters, digits and hyphens."
        )
    elif not SLUG.fullmatch(slug) or len(slug) > slug_field.max_length:
        errors["slug"] = _(
            "The address «%(slug)s» may hold only Latin letters, digits and hyphens between them "
            "(at most %(max)d characters), e.g. ds-12-solnyshko."
        ) % {"slug": slug, "max": slug_field.max_length}
    elif Organization.objects.filter(slug=slug).exists():
        errors["slug"] = _("The address «%(slug)s» is taken by another organization.") % {"slug": slug}
    if len(short_name) > Organization._meta.get_field("short_name").max_length:
        errors["short_name"] = _("The short name is too long.")
    if not username:
        errors["username"] = _("Give the senior educator's username.")
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors["username"] = _(
                "The username «%(username)s» may hold only letters, digits and the characters @ . + - _."
            ) % {"username": username}
        else:
            if len(username) > get_user_model()._meta.get_field("username").max_length:
                errors["username"] = _("The username is too long.")
            elif get_user_model().objects.filter(username__iexact=username).exists():
                errors["username"] = _("The username «%(username)s» is taken.") % {"username": username}
    if not email:
        errors["email"] = _("Give the senior educator's e-mail: her set-password link goes there.")
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("«%(email)s» is not an e-mail address.") % {"email": email}
    return errors


def kindergarten_create(*, name, username, email, slug="", short_name="", base_url=None) -> NewKindergarten:
    """Put a kindergarten on the portal with its first senior educator, in one transaction.

    The kindergarten is not ours (ours stays the first one); its address is `slug`, or made from its
    name when none is given. Her account is staff, in the senior educator's group, with a password no
    one knows (as a teacher's new account: the portal's «forgot password» still finds her when her
    first link has expired) and her role in the new kindergarten; her first e-mail, queued in the
    outbox, carries her login and a set-password link (completed when it is sent), made absolute with
    `base_url` (the request's, e.g. https://portal.example.org) or PORTAL_BASE_URL.

    Raises ValidationError ({field: message}) and writes nothing when it cannot."""
    name, short_name, username, email = (str(v or "").strip() for v in (name, short_name, username, email))
    slug = str(slug or "").strip().lower() or slug_of(name)
    fields = {"name": name, "slug": slug, "short_name": short_name, "username": username, "email": email}
    errors = kindergarten_create_errors(**fields)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return _create(**fields, base_url=base_url)
    except IntegrityError as exc:  # taken in the meantime by a parallel request
        raise ValidationError(kindergarten_create_errors(**fields) or str(exc)) from exc


def _create(*, name, slug, short_name, username, email, base_url):
    kindergarten = Organization.objects.create(
        name=name, slug=slug, short_name=short_name, kind=OrganizationKind.KINDERGARTEN, is_own=False
    )
    user = get_user_model().objects.create_user(
        username=username, email=email, password=get_random_string(32), is_staff=True
    )
    # Her role first: office_roles_sync (run when her groups change) then leaves her to this
    # kindergarten instead of giving her a role in ours as well.
    Role.objects.create(user=user, organization=kindergarten, role=RoleKind.SENIOR_EDUCATOR)
    user.groups.add(Group.objects.get(name=SENIOR_EDUCATOR))
    path = set_password_path(user)
    message = outbox_queue(
        kind=KIND,
        key=f"kindergarten_created:{user.pk}",
        recipient=user.email,
        template="kindergarten_created",
        context={
            "user": user,
            "kindergarten": kindergarten,
            "url": base_url.rstrip("/") + path if base_url else absolute_url(path),
        },
        set_password_for=user,
    )
    return NewKindergarten(kindergarten=kindergarten, senior_educator=user, message=message)
