"""One attestation state per teacher, read by every surface: a table of law cases (order №196 of
24.03.2023, 273-FZ arts. 47 and 49), each seen on a fixed date through the staff list and card, her
staff page, her home, the office's home, the attestation calendar and its workbook, the reminders
of send_notifications and the head's dashboard, with the light (SQL) form checked against the state.
"""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from kindergarten_portal.access.roles import TEACHER
from kindergarten_portal.models import OutboxMessage
from staff.dates import add_months
from staff.models import Category, Employee, LeaveKind, TrainingKind
from staff.notifications import ATTESTATION_REMINDER
from staff.selectors import (
    ATTESTATION_KINDS,
    attestation_state,
    calendar_keys,
    category_on_expression,
    filter_attestation_due_within,
    filter_course_due_within,
)
from tests.factories import (
    CategoryDecisionFactory,
    ConformityDecisionFactory,
    EmployeeFactory,
    LeaveFactory,
    MentorshipFactory,
    TrainingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
PREFETCH = ("category_decisions", "conformity_decisions", "leaves", "trainings")


def _teacher(**fields):
    user = UserFactory(username="tanya", role=TEACHER)
    fields.setdefault("hire_date", D(2010, 9, 1))
    return EmployeeFactory(user=user, surname="Законова", email="tanya@example.org", **fields)


def _course(employee, end, *, hours=72, kind=TrainingKind.COURSE):
    TrainingFactory(
        employee=employee, kind=kind, hours=hours, start_date=end - datetime.timedelta(days=10), end_date=end
    )


def ended_first():
    t = _teacher()
    CategoryDecisionFactory(employee=t, category=Category.FIRST, decision_date=D(2021, 3, 15))
    _course(t, D(2025, 1, 20))


def legacy_highest():
    t = _teacher()
    CategoryDecisionFactory(employee=t, category=Category.HIGHEST, decision_date=D(2023, 8, 31))
    _course(t, D(2027, 1, 20))


def highest_no_term():
    t = _teacher()
    CategoryDecisionFactory(employee=t, category=Category.HIGHEST, decision_date=D(2023, 9, 1))
    _course(t, D(2026, 1, 20))


def conformity_2022():
    t = _teacher()
    ConformityDecisionFactory(employee=t, decision_date=D(2022, 5, 10))
    _course(t, D(2026, 1, 20))


def short_course():
    t = _teacher()
    CategoryDecisionFactory(employee=t, category=Category.HIGHEST, decision_date=D(2024, 4, 1))
    _course(t, D(2025, 6, 10), hours=12)


def retraining():
    t = _teacher()
    CategoryDecisionFactory(employee=t, category=Category.HIGHEST, decision_date=D(2024, 4, 1))
    _course(t, D(2024, 2, 1), hours=None, kind=TrainingKind.RETRAINING)


def child_care():
    t = _teacher(hire_date=D(2015, 9, 1))
    ConformityDecisionFactory(employee=t, decision_date=D(2020, 1, 15))
    LeaveFactory(employee=t, kind=LeaveKind.CHILD_CARE, start_date=D(2024, 3, 1), end_date=D(2026, 5, 31))
    _course(t, D(2026, 6, 20))


def illness():
    t = _teacher()
    ConformityDecisionFactory(employee=t, decision_date=D(2021, 6, 1))
    LeaveFactory(employee=t, kind=LeaveKind.ILLNESS, start_date=D(2026, 3, 1), end_date=D(2026, 9, 30))
    _course(t, D(2026, 1, 20))


def dismissed():
    t = _teacher(dismissal_date=D(2026, 6, 30))
    CategoryDecisionFactory(employee=t, category=Category.FIRST, decision_date=D(2021, 3, 15))


def young():
    t = _teacher(experience_start=D(2025, 8, 7), hire_date=D(2025, 8, 7))
    _course(t, D(2026, 2, 1))
    mentor = EmployeeFactory(surname="Наставникова", name="Ольга", patronymic="Петровна")
    CategoryDecisionFactory(employee=mentor, category=Category.HIGHEST, decision_date=D(2024, 1, 10))
    MentorshipFactory(mentor=mentor, mentee=t, start_date=D(2025, 9, 1))


def _text(html: str) -> str:
    """The page's text: tags dropped, spaces folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",").replace(" .", ".")


def _between(html, start, end):
    if start not in html:
        return ""
    part = html[html.index(start) :]
    return part[: part.index(end)] if end in part else part


def _xlsx_text(content: bytes) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = []
    for row in sheet.iter_rows(values_only=True):
        for value in row:
            if isinstance(value, datetime.datetime):
                value = value.strftime("%d.%m.%Y")
            if value not in (None, ""):
                cells.append(str(value))
    return " | ".join(cells)


def surfaces(client, *, senior, head, teacher) -> dict[str, str]:
    """What each surface says, as text, on the day the clock stands at."""
    pk = teacher.pk
    client.force_login(senior)
    changelist = client.get(
        reverse("admin:staff_employee_changelist") + "?employment=all&q=Законова"
    ).content.decode()
    card = client.get(reverse("admin:staff_employee_change", args=[pk])).content.decode()
    office = client.get(reverse("home")).content.decode()
    calendar = client.get(reverse("admin:staff_employee_attestation_calendar")).content.decode()
    workbook = client.get(reverse("admin:staff_employee_attestation_calendar_xlsx")).content
    client.force_login(head)
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    client.force_login(teacher.user)
    page_response = client.get(reverse("staff:my_page"))
    home = client.get(reverse("home")).content.decode()
    call_command("send_notifications", stdout=io.StringIO())
    first_run = OutboxMessage.objects.filter(kind=ATTESTATION_REMINDER).count()
    call_command("send_notifications", stdout=io.StringIO())
    assert OutboxMessage.objects.filter(kind=ATTESTATION_REMINDER).count() == first_run  # never twice
    mails = [
        m
        for m in OutboxMessage.objects.filter(kind=ATTESTATION_REMINDER)
        if m.recipient == "tanya@example.org"
    ]
    office_mails = [
        m
        for m in OutboxMessage.objects.filter(kind=ATTESTATION_REMINDER)
        if m.recipient == "senior@example.org"
    ]
    assert len(office_mails) == len(mails)  # the office is told of each
    rows = [
        _text(row)
        for row in re.findall(r"<tr.*?</tr>", _between(calendar, '<table id="calendar"', "</table>"), re.S)
    ]
    return {
        "list": _text(_between(changelist, 'id="result_list"', "</table>")),
        "card": _text(_between(card, "field-attestation_state_field", "</fieldset>")),
        "page": _text(_between(page_response.content.decode(), 'data-test="todo"', "</ul>"))
        if page_response.status_code == 200
        else "",
        "home": _text(_between(home, 'data-test="todo"', "</ul>")),
        "office": _text(_between(office, 'id="home-dues-office"', "</section>")),
        "calendar": " | ".join(row for row in rows if "Законова" in row)
        + _text(_between(calendar, 'id="calendar-exempt"', "</ul>")),
        "xlsx": " || ".join(line for line in _xlsx_text(workbook).split(" | Законова") if "Мария" in line),
        "mail": " | ".join(sorted(m.subject for m in mails)),
        "dashboard": _text(_between(dashboard, 'data-test="due"', "</ul>")),
    }


@pytest.fixture
def clock():
    def at(day):
        moment = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=ZoneInfo("Asia/Yekaterinburg"))
        return time_machine.travel(moment, tick=False)

    return at


NOT_LISTED = None
ON = D(2026, 12, 7)

# case, seen on, her state (category, dues as kind / day to act / overdue), and what each surface
# says of her: strings it must show, or NOT_LISTED where her name must not appear at all.
CASES = [
    pytest.param(
        ended_first,
        ON,
        "без категории: первая категория окончилась 15.03.2026",
        [("conformity", "15.03.2026", True), ("course", "20.01.2028", False)],
        {
            "list": "соответствие должности: 15.03.2026, просрочено; первая категория окончилась 15.03.2026",
            "card": "аттестация на соответствие занимаемой должности: 15.03.2026, просрочено — первая категория"
            " окончилась 15.03.2026: подать заявление на категорию или пройти аттестацию на соответствие"
            " занимаемой должности; 5 лет после последней аттестации — решения о присвоении категории"
            " «первая» от 15.03.2021",
            "page": "Без категории: первая категория окончилась 15.03.2026 Ваша первая категория окончилась"
            " 15.03.2026: можно подать заявление на категорию или пройти аттестацию на соответствие"
            " занимаемой должности. Аттестация на соответствие занимаемой должности до 15.03.2026. (просрочена)",
            "office": "1 срок, из них просрочено: 1. Законова М.И. — аттестация на соответствие занимаемой"
            " должности 15.03.2026 (просрочена) Первая категория окончилась 15.03.2026",
            "calendar": "Аттестация на соответствие занимаемой должности 15.03.2026 (просрочена) — Первая"
            " категория окончилась 15.03.2026: подать заявление на категорию",
            "xlsx": "аттестация на соответствие занимаемой должности | 15.03.2026 | первая категория окончилась"
            " 15.03.2026: подать заявление на категорию или пройти аттестацию на соответствие занимаемой"
            " должности | 5 лет после последней аттестации — решения о присвоении категории «первая» от"
            " 15.03.2021 | 20.01.2028 | да",
            "mail": "Срок прошёл: аттестация на соответствие должности до 15.03.2026",
            "dashboard": "Законова М.И. — соответствие занимаемой должности 15.03.2026 (просрочена)",
        },
        id="first-2021-ended-15.03.2026",
    ),
    pytest.param(
        legacy_highest,
        D(2028, 3, 15),
        "высшая категория до 31.08.2028",
        [("category_ends", "31.05.2028", False), ("course", "20.01.2030", False)],
        {
            "list": "подать заявление до 31.05.2028 (категория оканчивается 31.08.2028)",
            "card": "окончание категории: 31.05.2028 — заканчивается категория «высшая»",
            "page": "Высшая категория до 31.08.2028 Категория «высшая» действует до 31.08.2028: подать"
            " заявление на аттестацию до 31.05.2028.",
            "office": "Законова М.И. — заявление на категорию (категория оканчивается 31.08.2028) 31.05.2028",
            "calendar": "Окончание категории 31.08.2028 31.05.2028 Заканчивается категория «высшая»",
            "xlsx": "окончание категории | 31.08.2028 | 31.05.2028",
            "mail": "Напоминание: заявление на аттестацию до 31.05.2028",
            "dashboard": "Законова М.И. — заявление на категорию 31.05.2028",
        },
        id="highest-31.08.2023-apply-by-31.05.2028",
    ),
    pytest.param(
        highest_no_term,
        ON,
        "высшая категория, бессрочно",
        [("course", "20.01.2029", False)],
        {
            "list": "высшая 11 г. 3 мес. - бессрочно 20.01.2029",
            "card": "высшая категория, бессрочно курсы повышения квалификации: 20.01.2029",
            "page": "Высшая категория, бессрочно : продлевать не нужно",
            "office": NOT_LISTED,
            "calendar": NOT_LISTED,
            "xlsx": NOT_LISTED,
            "mail": NOT_LISTED,
            "dashboard": NOT_LISTED,
        },
        id="highest-01.09.2023-no-end",
    ),
    pytest.param(
        conformity_2022,
        D(2027, 3, 1),
        "без категории",
        [("conformity", "10.05.2027", False), ("course", "20.01.2029", False)],
        {
            "list": "соответствие должности: 10.05.2027",
            "card": "аттестация на соответствие занимаемой должности: 10.05.2027 — нет квалификационной"
            " категории; 5 лет после решения о соответствии должности от 10.05.2022",
            "page": "Без категории Аттестация на соответствие занимаемой должности до 10.05.2027.",
            "office": "Законова М.И. — аттестация на соответствие занимаемой должности 10.05.2027",
            "calendar": "Аттестация на соответствие занимаемой должности 10.05.2027 — Нет квалификационной"
            " категории 5 лет после решения о соответствии должности от 10.05.2022",
            "xlsx": "аттестация на соответствие занимаемой должности | 10.05.2027",
            "mail": "Напоминание: аттестация на соответствие должности до 10.05.2027",
            "dashboard": "Законова М.И. — соответствие занимаемой должности 10.05.2027",
        },
        id="conformity-2022-due-2027",
    ),
    pytest.param(
        short_course,
        ON,
        "высшая категория, бессрочно",
        [("course", "07.12.2026", False)],  # the 12-hour course does not count: due now
        {
            "list": "бессрочно 07.12.2026",
            "card": "курсы повышения квалификации: 07.12.2026 — ДПО: курсы повышения квалификации от 16 часов"
            " или профессиональная переподготовка; нет ни курсов от 16 часов, ни переподготовки",
            "page": "Курсы повышения квалификации (от 16 часов) или профессиональная переподготовка до 07.12.2026.",
            "office": "Законова М.И. — срок курсовой подготовки 07.12.2026",
            "calendar": "Курсы повышения квалификации 07.12.2026",
            "xlsx": "курсы повышения квалификации | 07.12.2026",
            "mail": NOT_LISTED,  # nothing on record: no date to remind of, the office's home lists it
            "dashboard": NOT_LISTED,
        },
        id="12-hour-course-does-not-count",
    ),
    pytest.param(
        retraining,
        ON,
        "высшая категория, бессрочно",
        [("course", "01.02.2027", False)],
        {
            "list": "бессрочно 01.02.2027",
            "card": "курсы повышения квалификации: 01.02.2027 — ДПО",
            "page": "Курсы повышения квалификации (от 16 часов) или профессиональная переподготовка до 01.02.2027.",
            "office": "Законова М.И. — срок курсовой подготовки 01.02.2027",
            "calendar": "Курсы повышения квалификации 01.02.2027",
            "xlsx": "курсы повышения квалификации | 01.02.2027",
            "mail": "Напоминание: курсы повышения квалификации до 01.02.2027",
            "dashboard": NOT_LISTED,
        },
        id="retraining-counts",
    ),
    pytest.param(
        child_care,
        ON,
        "без категории",
        [("conformity", "31.05.2028", False), ("course", "20.06.2029", False)],
        {
            "list": "соответствие должности: 31.05.2028",
            "card": "аттестация на соответствие занимаемой должности: 31.05.2028 — нет квалификационной"
            " категории; отпуск по уходу за ребёнком до 31.05.2026: не ранее чем через 2 года после выхода",
            "page": "Аттестация на соответствие занимаемой должности до 31.05.2028. Отпуск по уходу за ребёнком"
            " до 31.05.2026",
            "office": NOT_LISTED,
            "calendar": NOT_LISTED,
            "xlsx": NOT_LISTED,
            "mail": NOT_LISTED,
            "dashboard": NOT_LISTED,
        },
        id="child-care-leave-2-years-after-return",
    ),
    pytest.param(
        illness,
        ON,
        "без категории",
        [("conformity", "30.09.2027", False), ("course", "20.01.2029", False)],
        {
            "list": "соответствие должности: 30.09.2027",
            "card": "аттестация на соответствие занимаемой должности: 30.09.2027 — нет квалификационной"
            " категории; болезнь более 4 месяцев до 30.09.2026: не ранее чем через 1 год после выхода",
            "page": "Аттестация на соответствие занимаемой должности до 30.09.2027. Болезнь более 4 месяцев до"
            " 30.09.2026",
            "office": NOT_LISTED,
            "calendar": "Аттестация на соответствие занимаемой должности 30.09.2027",
            "xlsx": "аттестация на соответствие занимаемой должности | 30.09.2027",
            "mail": NOT_LISTED,
            "dashboard": "Законова М.И. — соответствие занимаемой должности 30.09.2027",
        },
        id="illness-over-4-months-1-year-after-return",
    ),
    pytest.param(
        dismissed,
        ON,
        "без категории",
        [],
        {
            "list": "без категории 11 г. 3 мес. - — —",
            "card": "без категории",
            "page": NOT_LISTED,
            "office": NOT_LISTED,
            "calendar": NOT_LISTED,
            "xlsx": NOT_LISTED,
            "mail": NOT_LISTED,
            "dashboard": NOT_LISTED,
        },
        id="dismissed-nothing-due",
    ),
    pytest.param(
        young,
        ON,
        "без категории",
        [("conformity", "07.08.2027", False), ("course", "01.02.2029", False)],
        {
            "list": "да соответствие должности: 07.08.2027",
            "card": "аттестация на соответствие занимаемой должности: 07.08.2027",
            "page": "Аттестация на соответствие занимаемой должности до 07.08.2027. Решения о соответствии"
            " должности нет: 2 года после приёма на работу 07.08.2025",
            "office": NOT_LISTED,
            "calendar": "Аттестация на соответствие занимаемой должности 07.08.2027",
            "xlsx": "аттестация на соответствие занимаемой должности | 07.08.2027",
            "mail": NOT_LISTED,
            "dashboard": "Законова М.И. — соответствие занимаемой должности 07.08.2027",
        },
        id="young-teacher-conformity-07.08.2027",
    ),
]


def _fresh(on):
    return Employee.objects.prefetch_related(*PREFETCH).get(surname="Законова")


@pytest.mark.parametrize("case,on,category,dues,said", CASES)
def test_every_surface_says_what_her_state_says(client, senior, head, clock, case, on, category, dues, said):
    with clock(on):
        case()
        teacher = _fresh(on)
        state = attestation_state(teacher, on=on)
        assert state.category_text == category
        assert [(d.kind, d.action_date.strftime("%d.%m.%Y"), d.overdue) for d in state.dues] == dues
        seen = surfaces(client, senior=senior, head=head, teacher=teacher)
    for surface, text in said.items():
        if text is NOT_LISTED:
            assert "Законова" not in seen[surface] and "Мария Ивановна" not in seen[surface], surface
        else:
            assert text in seen[surface], surface
    # Her home says what her page says, word for word (the mentor is on the home's list besides).
    assert seen["home"].startswith(seen["page"].rstrip())
    if case is young:
        assert "Мой наставник: Наставникова Ольга Петровна, с 01.09.2025" in seen["home"]


@pytest.mark.parametrize("case,on,category,dues,said", CASES)
def test_the_light_form_agrees_with_the_state(clock, case, on, category, dues, said):
    """calendar_keys (the calendar, the office's home, the list's filter, the dashboard) and the
    SQL annotations give each case what its attestation state gives."""
    with clock(on):
        case()
        teacher = _fresh(on)
        state = attestation_state(teacher, on=on)
        keys = [(k.kind, k.date, k.apply_by) for k in calendar_keys(on=on) if k.employee_id == teacher.pk]
        assert keys == [(d.kind, d.date, d.apply_by) for d in state.dues]
        category_now = Employee.objects.annotate(c=category_on_expression(on)).get(pk=teacher.pk).c
        assert category_now == (state.decision.category if state.decision else Category.NONE)
        for months in (0, 3, 12):
            until = add_months(on, months)
            listed = filter_attestation_due_within(Employee.objects.all(), until=until, on=on)
            assert listed.filter(pk=teacher.pk).exists() == any(
                d.kind in ATTESTATION_KINDS and d.action_date <= until for d in state.dues
            ), months
            course = filter_course_due_within(Employee.objects.current(on=on), until=until)
            assert course.filter(pk=teacher.pk).exists() == any(
                d.kind == "course" and d.date <= until for d in state.dues
            ), months
