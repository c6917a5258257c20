"""The second kindergarten of the network demo (`seed_demo --network`): «Детский сад № 7 «Берёзка»»,
with its own senior educator (metodist2), head (head2) and teachers (vera, galina and two more), so
that both offices have a year to look at: staff with categories, a group, entries verified by its
office, a published mini-site, self-reports, an event it hosts with its teachers signed up, and its
rating; and a teacher who moved (nina): she worked in our kindergarten until the end of the last
academic year, where her entries were approved, and now works in «Берёзка» with the same account, one
entry carried over («Подтверждено: <our kindergarten>»). Everything is made through the services the
pages use, in each kindergarten's scope; safe to run again.

It lives in `reports`, the top of the dependency chain, so it may use every app.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_scopes import scope

from events.models import Event, EventFormat, EventStatus, Level, Participation
from events.services import participation_sign_up
from kindergarten_portal.access.roles import HEAD, SENIOR_EDUCATOR, TEACHER
from kindergarten_portal.models import NetworkMembership, Organization, OrganizationKind, Role
from kindergarten_portal.tenancy import KINDERGARTEN
from portfolios.demo import attach_scan
from portfolios.models import EntryKind, PortfolioEntry, ReportItem
from portfolios.selectors import earlier_entries
from portfolios.services import entries_carry, entry_approve, entry_create, entry_submit, minisite_save
from staff import academic
from staff.dates import add_years, working_day
from staff.demo import DEMO_PASSWORD
from staff.models import (
    Category,
    CategoryDecision,
    EducationLevel,
    Employee,
    KindergartenGroup,
    Position,
    Sex,
)
from staff.services import accounts_create_for_teachers, employee_email_sync

from .models import RatingBuild, SelfReportStatus
from .services import academic_year_ensure, rating_build, self_report_accept, self_report_get_or_create

NAME = "МБДОУ «Детский сад № 7 «Берёзка»»"
SHORT_NAME = "Детский сад № 7"
SLUG = "berezka"

# username (None: no account), surname, name, patronymic, position, category, years of experience
TEACHERS = [
    ("vera", "Яковлева", "Вера", "Николаевна", Position.EDUCATOR, Category.FIRST, 9),
    ("galina", "Ушакова", "Галина", "Петровна", Position.EDUCATOR, Category.HIGHEST, 21),
    (None, "Щербакова", "Дарья", "Олеговна", Position.MUSIC_DIRECTOR, Category.NONE, 2),
    (None, "Юсупова", "Елена", "Андреевна", Position.EDUCATOR, Category.FIRST, 12),
]
OFFICE = [
    ("metodist2", "Лариса", "Климова", SENIOR_EDUCATOR),
    ("head2", "Наталья", "Рябова", HEAD),
]
ENTRIES = [
    (ReportItem.METHODOLOGICAL, EntryKind.SPEECH, "Выступление на педсовете «Экологическая тропа детского сада»",
     "institutional", "", "МБДОУ № 7"),
    (ReportItem.COMPETITIONS, EntryKind.COMPETITION_RESULT, "Городской конкурс «Зелёный огонёк»",
     "municipal", "prize_winner", "ИМЦ"),
    (ReportItem.SELF_EDUCATION, EntryKind.EVENT_ATTENDED, "Семинар ГМО «Игры с природным материалом»",
     "municipal", "", "ГМО воспитателей"),
]  # fmt: skip
REFLECTION = "Год экологического воспитания: тропа, огород на окне и конкурс рисунков с родителями."
# The teacher who moved from our kindergarten to «Берёзка» (NETWORK.md, decision 1).
MOVED = ("nina", "Ковалёва", "Нина", "Сергеевна")
MOVED_ENTRIES = [
    (ReportItem.METHODOLOGICAL, EntryKind.SPEECH, "Выступление на педсовете «Игры с песком и водой»",
     "institutional", "", "Педсовет ДОУ"),
    (ReportItem.COMPETITIONS, EntryKind.COMPETITION_RESULT, "Городской конкурс «Весенняя капель»",
     "municipal", "winner", "ИМЦ"),
]  # fmt: skip


def kindergarten(today):
    """«Берёзка» itself, a member of the network since the autumn three years ago."""
    berezka, created = Organization.objects.get_or_create(
        name=NAME,
        defaults={"short_name": SHORT_NAME, "slug": SLUG, "kind": OrganizationKind.KINDERGARTEN},
    )
    if created:
        joined = datetime.date(today.year - 3, 9, 1)
        NetworkMembership.objects.create(
            organization=berezka,
            joined=joined,
            agreement_number=f"СВ-{joined.year}-07",
            agreement_date=joined,
        )
    return berezka


def _account(username, first_name, last_name, role, berezka):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@berezka-demo.ru",
            "is_staff": role != TEACHER,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if role != TEACHER:
        # Her role is in «Берёзка» before she joins the office group: the group then says what she
        # may do, the role where (our kindergarten's office roles follow its groups otherwise).
        Role.objects.get_or_create(user=user, organization=berezka, role=role)
    user.groups.add(Group.objects.get(name=role))
    return user


def _staff(today, berezka):
    group, _created = KindergartenGroup.objects.get_or_create(
        name="Берёзка: средняя группа «Ёлочка»",
        defaults={"organization": berezka, "age_band": "4–5 лет", "pupils": 23},
    )
    teachers = []
    for index, (username, surname, name, patronymic, position, category, years) in enumerate(TEACHERS):
        teacher, created = Employee.objects.get_or_create(
            surname=surname,
            name=name,
            patronymic=patronymic,
            defaults={
                "organization": berezka,
                "position": position,
                "sex": Sex.FEMALE,
                "education_level": EducationLevel.HIGHER,
                "experience_start": add_years(today, -years),
                "hire_date": add_years(today, -min(years, 6)),
                "email": f"teacher{index + 1}@berezka-demo.ru",
            },
        )
        teachers.append(teacher)
        if not created:
            continue
        teacher.groups.add(group)
        if category != Category.NONE:
            CategoryDecision.objects.create(
                employee=teacher,
                category=category,
                decision_date=today - datetime.timedelta(days=200 + 30 * index),
                order_number=f"{40 + index}-Д",
            )
        if username:
            teacher.user = _account(username, name, surname, TEACHER, berezka)
            teacher.save(update_fields=["user"])
            employee_email_sync(employee=teacher)
    return teachers


def _submitted_entry(teacher, row, *, on, public=False):
    """Her entry of one row of ENTRIES or MOVED_ENTRIES dated `on`, with the scan of its diploma or
    certificate, sent for review."""
    item, kind, title, level, result, organizer = row
    data = {
        "item": item,
        "kind": kind,
        "title": title,
        "date": working_day(on, backward=True),
        "level": level,
        "result": result,
        "organizer": organizer,
        "hours": None,
        "pupils_count": None,
        "competition": "",
        "is_public": public,
    }
    entry = entry_create(teacher=teacher, data=data, by=teacher.user)
    attach_scan(entry)
    entry_submit(entry=entry, by=teacher.user)
    return entry


def _entries(teacher, senior, today):
    if PortfolioEntry.objects.filter(teacher=teacher, source_type="").exists():
        return  # her own entries are made (those derived from her records come by themselves)
    for index, row in enumerate(ENTRIES):
        on = today - datetime.timedelta(days=20 + 15 * index)
        # the competition diploma on her mini-site
        entry = _submitted_entry(teacher, row, on=on, public=index == 1)
        if index < 2:
            entry_approve(entry=entry, reviewer=senior)


def _minisite(vera, now):
    minisite_save(
        teacher=vera,
        by=vera.user,
        data={
            "slug": "vera-iakovleva",
            "about": "Воспитатель «Берёзки». Веду экологический кружок «Юный натуралист».",
            "credo": "Беречь то, что растёт рядом.",
            "published": True,
            **{part: True for part in ("show_photo", "show_about", "show_group", "show_category")},
            "show_achievements": True,
        },
        consent=True,
        now=now,
    )


def _event(teachers, berezka, today, now):
    day = working_day(today + datetime.timedelta(days=10))
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    event, created = Event.objects.get_or_create(
        title="Мастер-класс «Экологическая тропа в детском саду»",
        defaults={
            "format": EventFormat.MASTER_CLASS,
            "level": Level.MUNICIPAL,
            "organizer": berezka,
            "host": berezka,
            "start": start,
            "end": start + datetime.timedelta(hours=2),
            "place": "МБДОУ № 7, музыкальный зал",
            "capacity": 15,
            "status": EventStatus.PLANNED,
            "description": "Как проложить экологическую тропу на участке детского сада: маршрут, станции, игры.",
        },
    )
    if created:
        for teacher in teachers[:3]:
            if not Participation.objects.filter(event=event, teacher=teacher).exists():
                participation_sign_up(event=event, teacher=teacher, now=now)


def _reports(teachers, senior, today, now):
    year = academic_year_ensure(year=academic.AcademicYear.of(today))
    for index, teacher in enumerate(teachers[:2]):
        report = self_report_get_or_create(teacher=teacher, year=year)
        if report.status != SelfReportStatus.DRAFT or report.reflection:
            continue
        report.reflection = REFLECTION
        report.status = SelfReportStatus.SUBMITTED
        report.submitted_at = now
        report.full_clean()
        report.save()
        if index == 1:
            self_report_accept(report=report, reviewer=senior)
    if not RatingBuild.objects.filter(academic_year=year).exists():
        rating_build(year=year, by=senior, today=today, organization=teachers[0].organization)


def _moved_teacher(berezka, today):
    """Нина Сергеевна worked in our kindergarten until the last academic year ended (her two entries
    approved by its office) and was hired by «Берёзка» the next day: its office linked her account by
    her e-mail, and she carried one entry over. Made only once."""
    username, surname, name, patronymic = MOVED
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        return
    left = academic.AcademicYear.of(today).start - datetime.timedelta(days=1)  # 31 August
    email = f"{username}@berezka-demo.ru"
    ours = Organization.objects.own()
    person = {
        "surname": surname,
        "name": name,
        "patronymic": patronymic,
        "sex": Sex.FEMALE,
        "email": email,
        "position": Position.EDUCATOR,
        "education_level": EducationLevel.HIGHER,
        "experience_start": add_years(left, -7),
    }
    with scope(**{KINDERGARTEN: [ours.pk]}):
        user = User.objects.create_user(
            username, email=email, password=DEMO_PASSWORD, first_name=name, last_name=surname
        )
        user.groups.add(Group.objects.get(name=TEACHER))
        old = Employee.objects.create(organization=ours, user=user, hire_date=add_years(left, -4), **person)
        senior = User.objects.get(username="metodist")
        for index, row in enumerate(MOVED_ENTRIES):
            entry = _submitted_entry(old, row, on=left - datetime.timedelta(days=90 + 60 * index))
            entry_approve(entry=entry, reviewer=senior)
        old.dismissal_date = left
        old.save(update_fields=["dismissal_date"])
    with scope(**{KINDERGARTEN: [berezka.pk]}):
        new = Employee.objects.create(
            organization=berezka, hire_date=left + datetime.timedelta(days=1), **person
        )
        accounts_create_for_teachers(employees=[new])
        new.refresh_from_db()
        first = earlier_entries(teacher=new).order_by("date", "pk").first()
        entries_carry(teacher=new, entries=[first], by=user)


def build(*, today):
    """Make «Берёзка» and its year (or find them); returns the kindergarten."""
    berezka = kindergarten(today)
    now = timezone.now()
    _moved_teacher(berezka, today)
    with scope(**{KINDERGARTEN: [berezka.pk]}):
        office = {
            role: _account(username, first, last, role, berezka) for username, first, last, role in OFFICE
        }
        teachers = _staff(today, berezka)
        senior = office[SENIOR_EDUCATOR]
        for teacher in teachers[:2]:
            _entries(teacher, senior, today)
        _minisite(teachers[0], now)
        _event(teachers, berezka, today, now)
        _reports(teachers, senior, today, now)
    return berezka


def sign_ins():
    """(role, username) of the network demo's people, for the seed's greeting."""
    return (
        [(role, username) for username, _first, _last, role in OFFICE]
        + [(TEACHER, username) for username, *_rest in TEACHERS if username]
        + [(TEACHER, MOVED[0])]
    )
