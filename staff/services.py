"""Writes with rules for staff records: the all-or-nothing xlsx import, contacts and sign-in accounts."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindergarten_portal.outbox import absolute_url, outbox_queue
from kindergarten_portal.spreadsheets import (
    Column,
    ImportIssue,
    cell_text,
    choice_lookup,
    import_template,
    norm,
    parse_date,
    read_table,
)

from .models import EducationLevel, Employee, KindergartenGroup, Position

# ---------------------------------------------------------------- staff import


IMPORT_COLUMNS = [
    Column("surname", gettext_lazy("Surname"), required=True),
    Column("name", gettext_lazy("Name"), required=True),
    Column("patronymic", gettext_lazy("Patronymic")),
    Column("position", gettext_lazy("Position"), required=True),
    Column("groups", gettext_lazy("Groups")),
    Column("education_level", gettext_lazy("Education level")),
    Column("education_institution", gettext_lazy("Educational institution")),
    Column("education_year", gettext_lazy("Year of graduation")),
    Column("education_speciality", gettext_lazy("Speciality")),
    Column("experience_start", gettext_lazy("Pedagogical experience since")),
    Column("hire_date", gettext_lazy("Hire date")),
    Column("phone", gettext_lazy("Phone")),
    Column("email", gettext_lazy("E-mail")),
    Column("birth_date", gettext_lazy("Date of birth")),
]
DATE_KEYS = {"experience_start", "hire_date", "birth_date"}
SCALAR_KEYS = [c.key for c in IMPORT_COLUMNS if c.key != "groups"]


@dataclass
class ImportRow:
    row: int
    action: str  # "create" | "update" | "unchanged"
    full_name: str
    values: dict
    groups: list
    employee: Employee | None = None
    changed: list = field(default_factory=list)

    @property
    def changed_labels(self):
        """The changed columns as the file names them, for the dry run's preview."""
        labels = {c.key: str(c.label) for c in IMPORT_COLUMNS}
        return [labels[key] for key in self.changed]


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    new_groups: list = field(default_factory=list)
    dry_run: bool = True
    written: bool = False

    @property
    def ok(self):
        return not self.errors

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self):
        return self.count("create")

    @property
    def updated(self):
        return self.count("update")

    @property
    def unchanged(self):
        return self.count("unchanged")


def staff_import_template() -> bytes:
    """An empty import workbook with the expected headers and one example row."""
    return import_template(
        title=_("Staff"),
        columns=IMPORT_COLUMNS,
        example=[
            "Иванова",
            "Мария",
            "Петровна",
            str(Position.EDUCATOR.label),
            "Солнышко; Ромашка",
            str(EducationLevel.HIGHER.label),
            "Уральский государственный педагогический университет",
            2012,
            "Дошкольная педагогика и психология",
            datetime.date(2012, 9, 1),
            datetime.date(2015, 8, 25),
            "+7 900 000-00-00",
            "ivanova@example.org",
            datetime.date(1990, 4, 12),
        ],
        min_width=14,
    )


def staff_import(*, file, dry_run: bool) -> ImportResult:
    """Validate every row of a staff workbook; write all rows only if every row is valid.

    Rows are matched to existing employees by full name (case- and ё-insensitive): a match is
    updated, otherwise a new employee is created; a row equal to the record changes nothing.
    Returns an ImportResult whose `errors` name the row and column of each problem.
    """
    result = ImportResult(dry_run=dry_run)
    sheet, header_index, positions_by_key, issues = read_table(file, IMPORT_COLUMNS)
    if issues:
        result.errors.extend(issues)
        return result

    position_lookup = choice_lookup(Position)
    education_lookup = choice_lookup(EducationLevel)
    existing = {}
    for employee in Employee.objects.prefetch_related("groups"):
        existing.setdefault(norm(employee.full_name), []).append(employee)
    known_groups = {norm(g.name): g.name for g in KindergartenGroup.objects.all()}
    seen_names = {}
    today = timezone.localdate()
    labels = {c.key: str(c.label) for c in IMPORT_COLUMNS}

    for offset, raw in enumerate(sheet[header_index + 1 :], start=header_index + 2):
        cells = {key: (raw[i] if i < len(raw) else None) for key, i in positions_by_key.items()}
        if not any(cell_text(v) for v in cells.values()):
            continue
        errors_before = len(result.errors)

        def error(key, message, row=offset):
            result.errors.append(ImportIssue(row, labels.get(key, ""), message))

        values = {}
        for key in (
            "surname",
            "name",
            "patronymic",
            "education_institution",
            "education_speciality",
            "phone",
        ):
            values[key] = cell_text(cells.get(key))
        for key in ("surname", "name"):
            if not values[key]:
                error(key, _("this field is required."))

        position_text = cell_text(cells.get("position"))
        values["position"] = position_lookup.get(norm(position_text))
        if not position_text:
            error("position", _("this field is required."))
        elif values["position"] is None:
            error("position", _("unknown position «%(value)s».") % {"value": position_text})

        level_text = cell_text(cells.get("education_level"))
        values["education_level"] = education_lookup.get(norm(level_text), "") if level_text else ""
        if level_text and not values["education_level"]:
            error("education_level", _("unknown education level «%(value)s».") % {"value": level_text})

        year_text = cell_text(cells.get("education_year"))
        values["education_year"] = None
        if year_text:
            if year_text.isdigit() and 1940 <= int(year_text) <= today.year:
                values["education_year"] = int(year_text)
            else:
                error("education_year", _("«%(value)s» is not a year.") % {"value": year_text})

        for key in sorted(DATE_KEYS):
            try:
                values[key] = parse_date(cells.get(key))
            except ValueError:
                error(
                    key,
                    _("«%(value)s» is not a date; use DD.MM.YYYY.") % {"value": cell_text(cells.get(key))},
                )
                values[key] = None
            else:
                if values[key] and values[key] > today:
                    error(key, _("the date is in the future."))

        values["email"] = cell_text(cells.get("email"))
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                error("email", _("«%(value)s» is not an e-mail address.") % {"value": values["email"]})

        group_names = []
        for part in cell_text(cells.get("groups")).replace(",", ";").split(";"):
            name = " ".join(part.split())
            if name and norm(name) not in {norm(g) for g in group_names}:
                group_names.append(known_groups.get(norm(name), name))

        full_name = " ".join(v for v in (values["surname"], values["name"], values["patronymic"]) if v)
        key = norm(full_name)
        if key and key in seen_names:
            error(
                "surname",
                _("%(name)s is already in row %(row)d.") % {"name": full_name, "row": seen_names[key]},
            )
        elif key:
            seen_names[key] = offset
        matches = existing.get(key, [])
        if len(matches) > 1:
            error(
                "surname",
                _("several employees are called %(name)s; edit them in the admin.") % {"name": full_name},
            )

        if len(result.errors) > errors_before:
            continue

        if matches:
            # Updating someone already on record: what the file leaves blank (or has no column for)
            # keeps its stored value, and her name keeps its stored spelling.
            stored = matches[0]
            for key in ("surname", "name", "patronymic"):
                values[key] = getattr(stored, key)
            for key in SCALAR_KEYS:
                if values[key] in ("", None):
                    values[key] = getattr(stored, key)
            if not group_names:
                group_names = [g.name for g in stored.groups.all()]
            full_name = stored.full_name

        candidate = (
            Employee(**{k: getattr(matches[0], k) for k in SCALAR_KEYS} | {"pk": matches[0].pk})
            if matches
            else Employee()
        )
        for k, value in values.items():
            setattr(candidate, k, value)
        try:
            candidate.full_clean(exclude=["user", "photo"], validate_unique=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                error(field_name, " ".join(messages))
            continue

        row = ImportRow(row=offset, action="create", full_name=full_name, values=values, groups=group_names)
        if matches:
            employee = matches[0]
            row.employee = employee
            row.changed = [k for k in SCALAR_KEYS if getattr(employee, k) != values[k]]
            current_groups = sorted(norm(g.name) for g in employee.groups.all())
            if current_groups != sorted(norm(g) for g in group_names):
                row.changed.append("groups")
            row.action = "update" if row.changed else "unchanged"
        result.rows.append(row)
        for name in group_names:
            if norm(name) not in known_groups and name not in result.new_groups:
                result.new_groups.append(name)

    if not result.rows and not result.errors:
        result.errors.append(ImportIssue(None, "", _("The sheet has no rows with data.")))
    if result.errors or dry_run:
        return result

    with transaction.atomic():
        groups = {norm(g.name): g for g in KindergartenGroup.objects.all()}
        for name in result.new_groups:
            groups[norm(name)] = KindergartenGroup.objects.create(name=name)
        for row in result.rows:
            if row.action == "unchanged":
                continue
            employee = row.employee or Employee()
            for key, value in row.values.items():
                setattr(employee, key, value)
            employee.save()
            employee.groups.set([groups[norm(name)] for name in row.groups])
    result.written = True
    return result


# ---------------------------------------------------------------- contacts and sign-in accounts


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
    created: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (employee, reason)


def _username_for(employee, taken):
    base = (employee.email.split("@")[0] if employee.email else "").lower()
    base = "".join(ch for ch in base if ch.isalnum() or ch in "._-") or f"teacher{employee.pk}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def accounts_create_for_teachers(*, employees, request=None) -> AccountsResult:
    """Give each selected employee without an account a Teacher sign-in and e-mail her a link.

    The link is Django's password-reset link, so the office never sees or sends a password.
    Employees who already have an account, or have no e-mail, are skipped with a reason.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils.crypto import get_random_string

    from kindergarten_portal.roles import TEACHER

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
        with transaction.atomic():
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


def _queue_account_created(*, user, request):
    """Queue the mail with her login and Django's password-reset link (sent once the account commits)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    outbox_queue(
        kind="staff.account_created",
        key=f"account_created:{user.pk}",
        recipient=user.email,
        template="account_created",
        context={"user": user, "url": request.build_absolute_uri(path) if request else absolute_url(path)},
    )
