"""The staff part of the demo kindergarten (seed documents): groups, 20 teachers, demo users."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from kindergarten_portal.access.roles import HEAD, SENIOR_EDUCATOR, TEACHER
from kindergarten_portal.models import Organization, OrganizationKind
from staff.dates import add_months, add_years
from staff.models import (
    Category,
    CategoryDecision,
    ConformityDecision,
    EducationLevel,
    Employee,
    KindergartenGroup,
    Leave,
    LeaveKind,
    Mentorship,
    Orientation,
    Position,
    Sex,
    Training,
    TrainingKind,
)
from staff.services import employee_email_sync

DEMO_PASSWORD = "demo-portal-2026"
KINDERGARTEN_NAME = "МАДОУ «Детский сад № 42»"
KINDERGARTEN_SHORT_NAME = "Детский сад № 42"

GROUPS = [
    ("Солнышко", "3–4 года", Orientation.GENERAL),
    ("Ромашка", "4–5 лет", Orientation.GENERAL),
    ("Колокольчик", "5–6 лет", Orientation.GENERAL),
    ("Звёздочка", "6–7 лет", Orientation.GENERAL),
    ("Радуга", "5–7 лет, ТНР", Orientation.COMPENSATORY),
    ("Капелька", "4–6 лет, ЗПР", Orientation.COMPENSATORY),
]

COURSES = [
    (
        "Использование современных образовательных технологий"
        " в условиях введения ФГОС дошкольного образования",
        72,
    ),
    ("Организация процесса инклюзивного образования детей с ОВЗ, включая РАС, в рамках ФГОС ДО", 36),
    ("Игровые технологии в образовательном процессе ДОО", 24),
]
PROVIDER = "Институт развития образования"

# surname, name, patronymic, position, group index, category, years of experience
TEACHERS = [
    ("Антонова", "Анна", "Сергеевна", Position.EDUCATOR, 0, Category.HIGHEST, 18),
    ("Белова", "Ольга", "Викторовна", Position.EDUCATOR, 0, Category.FIRST, 9),
    ("Васильева", "Елена", "Николаевна", Position.EDUCATOR, 1, Category.HIGHEST, 22),
    ("Григорьева", "Татьяна", "Ивановна", Position.EDUCATOR, 1, Category.FIRST, 7),
    ("Дмитриева", "Ирина", "Павловна", Position.EDUCATOR, 2, Category.HIGHEST, 15),
    ("Егорова", "Наталья", "Алексеевна", Position.EDUCATOR, 2, Category.FIRST, 6),
    ("Жукова", "Светлана", "Юрьевна", Position.EDUCATOR, 3, Category.HIGHEST, 25),
    ("Зайцева", "Марина", "Олеговна", Position.EDUCATOR, 3, Category.FIRST, 11),
    ("Ильина", "Людмила", "Петровна", Position.EDUCATOR, 4, Category.HIGHEST, 20),
    ("Калинина", "Юлия", "Андреевна", Position.EDUCATOR, 4, Category.FIRST, 5),
    ("Лебедева", "Галина", "Васильевна", Position.EDUCATOR, 5, Category.HIGHEST, 28),
    ("Морозова", "Екатерина", "Дмитриевна", Position.EDUCATOR, 5, Category.FIRST, 8),
    ("Никитина", "Оксана", "Геннадьевна", Position.MUSIC_DIRECTOR, None, Category.HIGHEST, 19),
    ("Орлова", "Вера", "Михайловна", Position.PE_INSTRUCTOR, None, Category.FIRST, 10),
    ("Павлова", "Надежда", "Степановна", Position.SPEECH_THERAPIST, 4, Category.HIGHEST, 17),
    ("Романова", "Алла", "Игоревна", Position.DEFECTOLOGIST, 5, Category.FIRST, 12),
    ("Соколова", "Дарья", "Константиновна", Position.PSYCHOLOGIST, None, Category.HIGHEST, 14),
    ("Тихонова", "Ксения", "Романовна", Position.ADDITIONAL_EDUCATION, None, Category.FIRST, 4),
    ("Федорова", "Лариса", "Евгеньевна", Position.EDUCATOR, 1, Category.FIRST, 13),
    ("Широкова", "Полина", "Артёмовна", Position.EDUCATOR, 0, Category.NONE, 1),
]

USERS = [
    # username, first name, last name, role, teacher index or None
    ("metodist", "Лариса", "Кузнецова", SENIOR_EDUCATOR, None),
    ("head", "Маргарита", "Сергеева", HEAD, None),
    ("anna", "Анна", "Антонова", TEACHER, 0),
    ("olga", "Ольга", "Белова", TEACHER, 1),
    ("polina", "Полина", "Широкова", TEACHER, 19),
]


def _on_child_care_leave(today, own):
    """A teacher without a category away on child-care leave: exempt from conformity until she
    returns (she is not one of the seed's 20 teachers, whose figures stay 9/10/1)."""
    employee, created = Employee.objects.get_or_create(
        surname="Юдина",
        name="Мария",
        patronymic="Олеговна",
        defaults={
            "organization": own,
            "position": Position.EDUCATOR,
            "education_level": EducationLevel.HIGHER,
            "education_institution": "Уральский государственный педагогический университет",
            "education_speciality": "Дошкольное образование",
            "experience_start": add_years(today, -6),
            "hire_date": add_years(today, -6),
            "email": "teacher21@sad-demo.ru",
        },
    )
    if created:
        ConformityDecision.objects.create(
            employee=employee, decision_date=add_years(today, -4), order_number="77-А"
        )
        Leave.objects.create(
            employee=employee,
            kind=LeaveKind.MATERNITY,
            start_date=add_months(today, -26),
            end_date=add_months(today, -22),
        )
        Leave.objects.create(
            employee=employee,
            kind=LeaveKind.CHILD_CARE,
            start_date=add_months(today, -22),
            end_date=add_months(today, 8),
        )
        end = add_months(today, -28)
        Training.objects.create(
            employee=employee,
            kind=TrainingKind.COURSE,
            programme=COURSES[0][0],
            provider=PROVIDER,
            hours=COURSES[0][1],
            start_date=end - datetime.timedelta(days=14),
            end_date=end,
        )
    return employee


def kindergarten():
    """The demo's kindergarten, whose staff, groups and everything reached through them this builds."""
    own, _ = Organization.objects.get_or_create(
        name=KINDERGARTEN_NAME,
        defaults={
            "short_name": KINDERGARTEN_SHORT_NAME,
            "kind": OrganizationKind.KINDERGARTEN,
            "is_own": True,
            "phone": "+7 343 200-00-00",
        },
    )
    return own


def build(*, today):
    """Create (or find) the demo staff; returns the 20 teachers in TEACHERS order."""
    own = kindergarten()
    groups = []
    for name, age_band, orientation in GROUPS:
        group, _ = KindergartenGroup.objects.get_or_create(
            name=name, defaults={"age_band": age_band, "orientation": orientation, "organization": own}
        )
        groups.append(group)

    employees = []
    for index, (surname, name, patronymic, position, group_index, category, years) in enumerate(TEACHERS):
        experience_start = add_months(add_years(today, -years), -(index % 5))
        employee, created = Employee.objects.get_or_create(
            surname=surname,
            name=name,
            patronymic=patronymic,
            defaults={
                "organization": own,
                "position": position,
                "sex": Sex.FEMALE,
                "education_level": EducationLevel.HIGHER
                if index % 3
                else EducationLevel.SECONDARY_VOCATIONAL,
                "education_institution": "Уральский государственный педагогический университет"
                if index % 3
                else "Свердловский областной педагогический колледж",
                "education_year": max(experience_start.year - 1, 1980),
                "education_speciality": "Дошкольное образование",
                "experience_start": experience_start,
                # The teacher without a category came straight to this kindergarten: her conformity
                # attestation falls 2 years after that hire, within the calendar's year.
                "hire_date": experience_start
                if category == Category.NONE
                else add_years(today, -min(years, 10)),
                "phone": f"+7 900 100-{index:02d}-{index + 10:02d}",
                "email": f"teacher{index + 1}@sad-demo.ru",
            },
        )
        employees.append(employee)
        if not created:
            continue
        if group_index is not None:
            employee.groups.add(groups[group_index])
        if category != Category.NONE:
            # An earlier decision that has expired, and the one in force now. Most are granted after
            # 01.09.2023 and have no end date; a few older ones keep their five-year term, and
            # Григорьева's ends within 6 months (the office's one application to prepare).
            decided = add_months(today, -(56 if index == 3 else 6 + index * 2))
            CategoryDecision.objects.create(
                employee=employee,
                category=Category.FIRST,
                decision_date=add_years(decided, -5),
                order_number=f"{100 + index}-Д",
            )
            CategoryDecision.objects.create(
                employee=employee,
                category=category,
                decision_date=decided,
                order_number=f"{400 + index}-Д",
            )
        programme, hours = COURSES[index % len(COURSES)]
        end = add_months(today, -(2 + (index * 7) % 30))
        Training.objects.create(
            employee=employee,
            kind=TrainingKind.COURSE,
            programme=programme,
            provider=PROVIDER,
            hours=hours,
            start_date=end - datetime.timedelta(days=14),
            end_date=end,
            certificate_number=f"66-{2000 + index}",
        )
    if not employees[0].category_decisions.filter(category=Category.MENTOR).exists():
        CategoryDecision.objects.create(
            employee=employees[0],
            category=Category.MENTOR,
            decision_date=add_months(today, -3),
            order_number="512-Д",
        )
    if not employees[2].category_decisions.filter(category=Category.METHODIST).exists():
        CategoryDecision.objects.create(
            employee=employees[2],
            category=Category.METHODIST,
            decision_date=add_months(today, -2),
            order_number="540-Д",
        )
    _on_child_care_leave(today, own)
    Mentorship.objects.get_or_create(
        mentor=employees[0],
        mentee=employees[19],
        defaults={
            "start_date": employees[19].hire_date or today,
            "goals": "Адаптация молодого педагога: планирование, игровая деятельность, работа с родителями",
        },
    )

    _self_evaluation_data(groups=groups, today=today)

    User = get_user_model()
    for username, first_name, last_name, role, teacher_index in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@sad-demo.ru",
                "is_staff": role in (SENIOR_EDUCATOR, HEAD),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        if teacher_index is not None and employees[teacher_index].user_id is None:
            employees[teacher_index].user = user
            employees[teacher_index].save(update_fields=["user"])
            employee_email_sync(employee=employees[teacher_index])  # one address for resets and notices

    # Every teacher but olga (the second) consented to her name in published event results: the
    # results show olga by her position and kindergarten.
    Employee.objects.filter(pk__in=[e.pk for i, e in enumerate(employees) if i != 1]).filter(
        results_name_consent_at__isnull=True
    ).update(results_name_consent_at=timezone.now())

    return employees


# Children per group in GROUPS order, for the self-evaluation's "pedagogical staff / pupils".
GROUP_PUPILS = [22, 24, 25, 24, 12, 10]


def _self_evaluation_data(*, groups, today):
    """What the self-evaluation indicators read: pupils, birth dates (ages from 22 to over 55),
    the pedagogical profile of the education, and the ФГОС courses. Fills only what is empty."""
    for group, pupils in zip(groups, GROUP_PUPILS, strict=True):
        if group.pupils is None:
            group.pupils = pupils
            group.save(update_fields=["pupils"])
    demo_staff = Employee.objects.filter(email__endswith="@sad-demo.ru", experience_start__isnull=False)
    for index, teacher in enumerate(demo_staff.order_by("pk")):
        if teacher.birth_date is None:
            # Began teaching at 21 to 35; those with under 5 years of experience straight after college.
            recent = add_years(teacher.experience_start, 5) > today
            teacher.birth_date = add_months(
                add_years(teacher.experience_start, -(21 if recent else 21 + index * 7 % 15)), -index
            )
            teacher.education_pedagogical = True  # every demo teacher studied preschool education
            teacher.save(update_fields=["birth_date", "education_pedagogical"])
    Training.objects.filter(employee__in=demo_staff, programme__contains="ФГОС").update(on_fgos=True)
