"""The staff part of the demo kindergarten (seed documents): groups, 20 teachers, demo users."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from kindergarten_portal.roles import HEAD, SENIOR_EDUCATOR, TEACHER
from staff.dates import add_months, add_years
from staff.models import (
    Category,
    CategoryDecision,
    EducationLevel,
    Employee,
    KindergartenGroup,
    Mentorship,
    Orientation,
    Position,
    Sex,
    Training,
    TrainingKind,
)
from staff.services import employee_email_sync

DEMO_PASSWORD = "demo-portal-2026"

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


def build(*, today):
    """Create (or find) the demo staff; returns the 20 teachers in TEACHERS order."""
    groups = []
    for name, age_band, orientation in GROUPS:
        group, _ = KindergartenGroup.objects.get_or_create(
            name=name, defaults={"age_band": age_band, "orientation": orientation}
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
                "hire_date": add_years(today, -min(years, 10)),
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
            # An earlier decision that has expired, and the one in force now.
            decided = add_months(today, -(52 if index == 3 else 6 + index * 2))  # one attestation due soon
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
    Mentorship.objects.get_or_create(
        mentor=employees[0],
        mentee=employees[19],
        defaults={
            "start_date": employees[19].hire_date or today,
            "goals": "Адаптация молодого педагога: планирование, игровая деятельность, работа с родителями",
        },
    )

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

    return employees
