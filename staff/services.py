"""Writes with rules for staff records: contacts and sign-in accounts (the xlsx import is in
`importing.py`)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kindergarten_portal.caching.pagecache import bump_public_pages
from kindergarten_portal.mail.outbox import absolute_url, outbox_queue, set_password_path

from .models import Employee


def employee_email_sync(*, employee) -> bool:
    """Keep the linked account's e-mail equal to the staff record's, so that password resets and
    notices go to the one address the teacher sees and edits. Returns whether it changed."""
    user = employee.user
    if user is None or not employee.email or user.email == employee.email:
        return False
    user.email = employee.email
    user.save(update_fields=["email"])
    return True


@transaction.atomic
def employee_contacts_save(
    *,
    employee,
    phone: str,
    email: str,
    photo=None,
    remove_photo: bool = False,
    plan_mail_opt_out: bool | None = None,
) -> Employee:
    """Save what a teacher may change on her own record and mirror the e-mail to her account.

    `plan_mail_opt_out` turns the monthly plan e-mail off (True) or on (False); None leaves it.

    `photo` is a new photo already checked (`staff.images.photo_prepare`), or the stored one, or None
    to keep what is stored; `remove_photo` deletes the stored photo. Returns the saved employee.
    """
    employee.phone = phone
    employee.email = email
    if remove_photo:
        if employee.photo:
            employee.photo.delete(save=False)
    elif photo:
        employee.photo = photo
    if plan_mail_opt_out is not None:
        employee.plan_mail_opt_out = plan_mail_opt_out
    own = ("phone", "email", "photo", "plan_mail_opt_out")
    others = [f.name for f in Employee._meta.fields if f.name not in own]
    employee.full_clean(exclude=others)
    employee.save()
    employee_email_sync(employee=employee)
    return employee


@dataclass
class AccountsResult:
    created: list = field(default_factory=list)  # (employee, username)
    linked: list = field(default_factory=list)  # (employee, username): a teacher who moved here
    skipped: list = field(default_factory=list)  # (employee, reason)


def _username_for(employee, taken):
    base = (employee.email.split("@")[0] if employee.email else "").lower()
    base = "".join(ch for ch in base if ch.isalnum() or ch in "._-") or f"teacher{employee.pk}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _why_not_here(user, today):
    """Why an account may not be linked to a new staff record ("" when it may): it may be a teacher's
    whose every staff record has a dismissal date, today or earlier (she has left another
    kindergarten or this one); never an office's or the city administrator's. While a dismissal
    date is still ahead she works there until then: linking waits for that day, so that she works
    under one record at a time. The reasons never say whose the account is."""
    from kindergarten_portal.models import Role

    another = _("another account has this e-mail; write to the city administrator")
    if user.is_superuser or Role.objects.filter(user=user).exists():
        return another
    records = Employee._base_manager.filter(user=user)  # every kindergarten's: she moves between them
    if not records.exists() or records.filter(dismissal_date__isnull=True).exists():
        return another
    if records.filter(dismissal_date__gt=today).exists():
        return _(
            "the account with this e-mail is still in use at another kindergarten until the dismissal date "
            "there; run this again on that day"
        )
    return ""


def accounts_create_for_teachers(*, employees, request=None) -> AccountsResult:
    """Give each selected employee without an account a Teacher sign-in and e-mail her a link.

    The link is Django's password-reset link, so the office never sees or sends a password.
    A teacher who moved here keeps her account: when the staff record's e-mail is that of a
    teacher's account whose every staff record has a dismissal date, today or earlier, that account is
    linked (her login and password stay) and she is told so by e-mail. Employees who already have an account,
    have no e-mail, or whose e-mail belongs to another account that cannot move are skipped with a
    reason (which never says whose the other account is).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils.crypto import get_random_string

    from kindergarten_portal.access.roles import TEACHER

    User = get_user_model()
    result = AccountsResult()
    teacher_group = Group.objects.get(name=TEACHER)
    taken = set(User.objects.values_list("username", flat=True))
    for employee in employees:
        if employee.user_id:
            result.skipped.append((employee, _("already has an account")))
            continue
        if not employee.email:
            result.skipped.append((employee, _("no e-mail on the staff record")))
            continue
        same_email = list(User.objects.filter(email__iexact=employee.email)[:2])
        existing = same_email[0] if same_email else None
        if len(same_email) > 1:
            result.skipped.append(
                (employee, _("another account has this e-mail; write to the city administrator"))
            )
            continue
        why_not = _why_not_here(existing, timezone.localdate()) if existing is not None else ""
        if why_not:
            result.skipped.append((employee, why_not))
            continue
        with transaction.atomic():
            if existing is not None:
                employee.user = existing
                employee.full_clean(exclude=[f.name for f in Employee._meta.fields if f.name != "user"])
                employee.save(update_fields=["user"])
                existing.groups.add(teacher_group)
                _queue_account_linked(user=existing, employee=employee, request=request)
                result.linked.append((employee, existing.username))
                continue
            username = _username_for(employee, taken)
            taken.add(username)
            user = User.objects.create_user(
                username=username,
                email=employee.email,
                password=get_random_string(32),
                first_name=employee.name,
                last_name=employee.surname,
            )
            user.groups.add(teacher_group)
            employee.user = user
            employee.save(update_fields=["user"])
            _queue_account_created(user=user, request=request)
        result.created.append((employee, username))
    return result


def _link(path, request):
    """An e-mail's link: on the address the office's request came to, else PORTAL_BASE_URL's."""
    return request.build_absolute_uri(path) if request else absolute_url(path)


def _queue_account_linked(*, user, employee, request):
    """Tell a teacher who moved that her account now signs her in to her new kindergarten's pages,
    and where to carry her approved entries from the old one."""
    from django.urls import reverse

    path = reverse("portfolios:carry")
    outbox_queue(
        kind="staff.account_linked",
        key=f"account_linked:{employee.pk}",
        recipient=employee.mail_address,
        template="account_linked",
        context={
            "user": user,
            "kindergarten": employee.organization,
            "url": _link(path, request),
        },
    )


def _queue_account_created(*, user, request):
    """Queue the mail with her login and Django's set-password link (made when the mail is sent)."""
    path = set_password_path(user)
    outbox_queue(
        kind="staff.account_created",
        key=f"account_created:{user.pk}",
        recipient=user.email,
        template="account_created",
        context={"user": user, "url": _link(path, request)},
        set_password_for=user,
    )


def employee_results_name_consent(*, employee, given: bool, now=None) -> Employee:
    """Record her consent to her name in published event results (152-FZ art. 10.1), or withdraw it,
    and return her record. Either way the public pages that name participants forget what they
    showed at once."""
    employee.results_name_consent_at = (now or timezone.now()) if given else None
    employee.save(update_fields=["results_name_consent_at"])
    bump_public_pages()
    return employee
