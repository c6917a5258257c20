import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kindergarten_portal.models import OutboxMessage, OutboxStatus
from kindergarten_portal.sheets.xlsx_out import MIN_PRINT_SCALE, column_pixels
from staff.dates import add_months, add_years
from staff.models import Category, Employee
from tests.factories import (
    CategoryDecisionFactory,
    EmployeeFactory,
    KindergartenGroupFactory,
    TrainingFactory,
)
from tests.outbox import send_queued

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/staff/employee/"


def make_staff(count):
    today = timezone.localdate()
    group = KindergartenGroupFactory()
    for n in range(count):
        employee = EmployeeFactory()
        employee.groups.add(group)
        CategoryDecisionFactory(
            employee=employee, category=Category.FIRST, decision_date=add_months(today, -n - 1)
        )
        TrainingFactory(
            employee=employee, end_date=add_months(today, -n - 1), start_date=add_months(today, -n - 2)
        )


@pytest.mark.parametrize("persona", ["senior", "head"])
def test_staff_list_query_count_is_the_same_for_one_and_many_rows(
    client, django_assert_num_queries, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    make_staff(1)
    client.get(CHANGELIST)  # warm caches (content types, permissions)
    with django_assert_num_queries(12) as one:  # no count of the whole table (show_full_result_count)
        response = client.get(CHANGELIST)
    assert response.content.decode().count('class="field-name_column"') == 1
    make_staff(29)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(CHANGELIST)
    assert response.content.decode().count('class="field-name_column"') == 30


def test_staff_list_shows_category_dues_and_hides_dismissed(client, senior):
    today = timezone.localdate()
    employee = EmployeeFactory(surname="Видимова")
    # Granted before 01.09.2023 with an end the decision set by hand (it stays shown).
    CategoryDecisionFactory(
        employee=employee,
        category=Category.HIGHEST,
        decision_date=datetime.date(2022, 1, 10),
        valid_until=add_years(today, 1),
    )
    TrainingFactory(employee=employee, end_date=add_years(today, -1), start_date=add_years(today, -1))
    unlimited = EmployeeFactory(surname="Бессрочнова")
    CategoryDecisionFactory(employee=unlimited, category=Category.FIRST, decision_date=add_years(today, -1))
    EmployeeFactory(surname="Уволенова", dismissal_date=today - datetime.timedelta(days=1))
    client.force_login(senior)
    body = client.get(CHANGELIST).content.decode()
    assert "Видимова" in body and "Уволенова" not in body
    assert "высшая" in body
    assert add_years(today, 1).strftime("%d.%m.%Y") in body
    assert add_years(add_years(today, -1), 5).strftime("%d.%m.%Y") not in body  # no end since 2023
    assert add_years(today, 2).strftime("%d.%m.%Y") in body  # course due three years after the course
    body = client.get(CHANGELIST + "?employment=dismissed").content.decode()
    assert "Уволенова" in body and "Видимова" not in body


def test_filters_by_category_and_due_dates(client, senior):
    today = timezone.localdate()
    due_soon = EmployeeFactory(surname="Скороаттестова")
    CategoryDecisionFactory(employee=due_soon, category=Category.FIRST, decision_date=add_months(today, -58))
    TrainingFactory(employee=due_soon, end_date=add_months(today, -35), start_date=add_months(today, -36))
    calm = EmployeeFactory(surname="Спокойнова")
    CategoryDecisionFactory(employee=calm, category=Category.HIGHEST, decision_date=add_months(today, -1))
    TrainingFactory(employee=calm, end_date=add_months(today, -1), start_date=add_months(today, -2))
    client.force_login(senior)

    def names(query):
        body = client.get(CHANGELIST + query).content.decode()
        return {n for n in ("Скороаттестова", "Спокойнова") if n in body}

    assert names("?category=highest") == {"Спокойнова"}
    assert names("?category=methodist") == set()
    CategoryDecisionFactory(employee=calm, category=Category.METHODIST, decision_date=add_months(today, -1))
    assert names("?category=methodist") == {"Спокойнова"}
    assert names("?category=highest") == {"Спокойнова"}  # a methodologist holds the highest too
    assert names("?category=first") == {"Скороаттестова"}
    assert names("?attestation_due=3") == {"Скороаттестова"}
    # Her category ends within 2 months: the day to apply (3 months before the end) has passed.
    assert names("?attestation_due=overdue") == {"Скороаттестова"}
    assert names("?course_due=3") == {"Скороаттестова"}
    assert names("?course_due=12") == {"Скороаттестова"}
    assert names("?q=Спокойн") == {"Спокойнова"}

    # Only the latest decision in force counts: an older one ending soon behind a newer one without
    # an end makes nothing due (the semi-join that narrows the list must not let it through).
    CategoryDecisionFactory(
        employee=calm,
        category=Category.FIRST,
        decision_date=add_months(today, -50),
        valid_until=add_months(today, 2),
    )
    assert names("?attestation_due=3") == {"Скороаттестова"}


def test_export_selected_staff_to_xlsx(client, head):
    today = timezone.localdate()
    first = EmployeeFactory(surname="=Формулова", phone="+7 900 1")
    CategoryDecisionFactory(
        employee=first,
        category=Category.HIGHEST,
        decision_date=datetime.date(2022, 1, 10),
        valid_until=datetime.date(2031, 3, 2),  # a legacy term the decision set by hand
    )
    TrainingFactory(employee=first, programme="ФГОС ДО", end_date=today, start_date=today)
    EmployeeFactory(surname="Невыбранова")
    client.force_login(head)
    response = client.post(CHANGELIST, {"action": "export_xlsx", "_selected_action": [first.pk]})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:4] == ["ФИО", "Должность", "Группы", "Категория"]
    assert sheet.max_row == 2
    assert sheet["A2"].value == "=Формулова Мария Ивановна"
    assert sheet["A2"].data_type == "s"  # formula-looking text stays text
    assert sheet["D2"].value == "высшая"
    assert sheet["E2"].value.date() == datetime.date(2031, 3, 2)
    assert sheet["E2"].number_format == "DD.MM.YYYY"
    assert sheet["H2"].value == "ФГОС ДО"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L2"


def test_head_sees_but_cannot_change(client, head):
    employee = EmployeeFactory(surname="Неизменнова")
    client.force_login(head)
    url = reverse("admin:staff_employee_change", args=[employee.pk])
    body = client.get(url).content.decode()
    assert "Неизменнова" in body and 'name="_save"' not in body
    response = client.post(url, {"surname": "Изменённова", "name": "Мария", "position": "educator"})
    assert response.status_code == 403
    assert Employee.objects.get(pk=employee.pk).surname == "Неизменнова"


def test_senior_educator_adds_a_decision_inline_and_valid_until_defaults(client, senior):
    employee = EmployeeFactory(surname="Аттестуева")
    client.force_login(senior)
    url = reverse("admin:staff_employee_change", args=[employee.pk])
    data = {
        "surname": "Аттестуева",
        "name": "Мария",
        "patronymic": "",
        "position": "educator",
        "experience_start": "01.09.2015",
        "category_decisions-TOTAL_FORMS": "1",
        "category_decisions-INITIAL_FORMS": "0",
        "category_decisions-0-category": "first",
        "category_decisions-0-decision_date": "15.03.2024",
        "category_decisions-0-order_number": "12-Д",
        "category_decisions-0-valid_until": "",
    }
    for prefix in (
        "conformity_decisions",
        "leaves",
        "trainings",
        "mentorships_as_mentee",
        "mentorships_as_mentor",
    ):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    decision = employee.category_decisions.get()
    assert decision.valid_until is None  # granted after 01.09.2023: no end date
    data["category_decisions-INITIAL_FORMS"] = "1"
    data["category_decisions-0-id"] = str(decision.pk)
    data["category_decisions-0-employee"] = str(employee.pk)
    data["category_decisions-0-decision_date"] = "15.03.2023"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    decision.refresh_from_db()
    assert decision.valid_until == datetime.date(2028, 3, 15)  # before 01.09.2023: five years


def test_create_accounts_links_users_and_emails_a_set_password_link(
    client, senior, mailoutbox, django_capture_on_commit_callbacks
):
    with_mail = EmployeeFactory(surname="Почтова", email="pochtova@sad.ru")
    no_mail = EmployeeFactory(surname="Безпочтова", email="")
    client.force_login(senior)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "create_accounts", "_selected_action": [with_mail.pk, no_mail.pk]},
            follow=True,
        )
    body = response.content.decode()
    assert "Создана 1 учётная запись" in body
    assert "нет e-mail" in body
    with_mail.refresh_from_db()
    assert with_mail.user.username == "pochtova"
    assert with_mail.user.groups.filter(name="teacher").exists()
    assert Employee.objects.get(pk=no_mail.pk).user is None
    # Queued in the outbox, sent by the sender, worded by templates/emails/account_created*.txt.
    assert mailoutbox == []
    assert send_queued() == 1
    (message,) = mailoutbox
    assert message.to == ["pochtova@sad.ru"]
    assert message.subject == "Ваша учётная запись на портале методического кабинета"
    assert "Ваш логин: pochtova\n" in message.body
    assert "\nhttp://testserver/accounts/reset/" in message.body
    assert OutboxMessage.objects.get(kind="staff.account_created").status == OutboxStatus.SENT
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    client.logout()
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": "Почта-пароль-2026", "new_password2": "Почта-пароль-2026"})
    assert (
        client.post("/accounts/login/", {"username": "pochtova", "password": "Почта-пароль-2026"}).status_code
        == 302
    )
    client.force_login(senior)
    # Running it again creates nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGELIST, {"action": "create_accounts", "_selected_action": [with_mail.pk]})
    assert send_queued() == 0
    assert len(mailoutbox) == 1


def test_exported_staff_list_prints_on_one_page_width(client, senior):
    first = EmployeeFactory(surname="Печатова")
    client.force_login(senior)
    response = client.post(CHANGELIST, {"action": "export_xlsx", "_selected_action": [first.pk]})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.page_setup.orientation == "landscape"
    widths = {}
    for dimension in sheet.column_dimensions.values():  # neighbours of one width come as one range
        widths.update((index, int(dimension.width)) for index in range(dimension.min, dimension.max + 1))
    assert len(widths) == 12
    scale = sheet.page_setup.scale or 100
    assert scale >= MIN_PRINT_SCALE
    assert sum(column_pixels(w) for w in widths.values()) * scale / 100 <= 10.69 * 96  # A4 landscape
    assert sheet.print_title_rows == "$1:$1"


def test_head_is_not_offered_the_import(client, head):
    client.force_login(head)
    body = client.get(CHANGELIST).content.decode()
    assert reverse("admin:staff_employee_import") not in body
    assert reverse("admin:staff_employee_import_template") not in body


def test_search_finds_names_typed_with_e_instead_of_yo(client, senior):
    EmployeeFactory(surname="Широкова", name="Полина", patronymic="Артёмовна")
    EmployeeFactory(surname="Другова", patronymic="Ивановна")
    client.force_login(senior)
    for term in ("Артемовна", "Артёмовна", "Широкова Артемовна"):
        body = client.get(CHANGELIST, {"q": term}).content.decode()
        assert "Широкова" in body and "Другова" not in body, term


def test_export_shows_no_end_date_after_2023_and_the_titles(client, head):
    employee = EmployeeFactory(surname="Бессрочнова")
    CategoryDecisionFactory(
        employee=employee, category=Category.HIGHEST, decision_date=datetime.date(2023, 9, 1)
    )
    CategoryDecisionFactory(
        employee=employee, category=Category.METHODIST, decision_date=datetime.date(2025, 2, 3)
    )
    client.force_login(head)
    response = client.post(CHANGELIST, {"action": "export_xlsx", "_selected_action": [employee.pk]})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["D2"].value == "высшая, педагог-методист"
    assert isinstance(sheet["E2"].value, str)  # "no end date", never 01.09.2028
