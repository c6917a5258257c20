from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from staff.dates import add_months, add_years
from staff.indicators import self_evaluation_indicators
from staff.models import Category, Employee, KindergartenGroup
from staff.selectors import attestation_state
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_seed_kindergarten_and_is_idempotent(django_user_model):
    call_command("seed_demo")
    counts = {model: model.objects.count() for model in (Employee, django_user_model)}
    call_command("seed_demo")
    assert {model: model.objects.count() for model in counts} == counts

    teachers = list(
        Employee.objects.prefetch_related(
            "category_decisions", "conformity_decisions", "leaves", "trainings", "groups"
        )
    )
    # The seed's 20 teachers (9 highest, 10 first, 1 young) and one away on child-care leave.
    assert len(teachers) == 21
    assert Counter(t.current_category for t in teachers) == {
        Category.HIGHEST: 9,
        Category.FIRST: 10,
        Category.NONE: 2,
    }
    today = timezone.localdate()
    assert [
        t.surname for t in teachers if any(d.category == Category.METHODIST for d in t.current_titles)
    ] == ["Васильева"]
    # Post-2023 decisions carry no end date; the legacy one ends within 6 months.
    states = {t.surname: attestation_state(t, on=today) for t in teachers}
    assert sum(1 for s in states.values() if s.without_term) >= 10
    legacy = [t for t in teachers if (d := states[t.surname].category_due) and d.date <= add_months(today, 6)]
    assert [t.surname for t in legacy] == ["Григорьева"]
    conformity = {t.surname: t.conformity_due_on(today) for t in teachers if t.conformity_due_on(today)}
    assert set(conformity) == {"Широкова", "Юдина"}
    assert today < conformity["Широкова"].date <= add_months(today, 12)
    assert conformity["Юдина"].date == add_years(add_months(today, 8), 2)  # 2 years after child-care leave
    young = [t for t in teachers if t.is_young_teacher]
    assert len(young) == 1 and young[0].mentorships_as_mentee.exists()
    assert not any(t.course_overdue_on() for t in teachers)  # every teacher within the last 3 years
    soon = add_months(timezone.localdate(), 12)
    due = [t for t in teachers if (d := states[t.surname].category_due) and d.date <= soon]
    assert [t.surname for t in due] == ["Григорьева"]  # the office has one attestation to prepare
    orientations = {g.orientation for t in teachers for g in t.groups.all()}
    assert {"general", "compensatory"} <= orientations
    for username in ("metodist", "head", "anna"):
        assert django_user_model.objects.get(username=username).check_password("demo-portal-2026")
    assert Employee.objects.get(user__username="anna").surname == "Антонова"


def test_seed_demo_if_empty_leaves_existing_data_alone():
    EmployeeFactory(surname="Своя", name="Данные", position="educator")
    call_command("seed_demo", "--if-empty")
    assert Employee.objects.count() == 1


def test_seed_demo_gives_the_self_evaluation_what_it_reads():
    call_command("seed_demo")
    evaluation = self_evaluation_indicators(on=timezone.localdate())
    rows = {row.number: row for row in evaluation.indicators}
    assert evaluation.gaps == []
    assert rows["1.7"].count == Employee.objects.count() >= 20  # all demo staff are pedagogical
    assert rows["1.12"].share == 100  # every teacher had a course within 3 years
    assert 0 < rows["1.13"].count < rows["1.7"].count  # two of the three demo programmes are on ФГОС
    assert KindergartenGroup.objects.aggregate(pupils=Sum("pupils")) == {"pupils": 117}
    assert rows["1.14"].pupils_per_teacher is not None
    assert rows["1.10"].count > 0 and rows["1.11"].count > 0
    assert all(rows[f"1.15.{n}"].present for n in (1, 2, 3, 5, 6))


def test_seed_demo_prints_the_sign_ins_once_and_sends_no_mail(capsys):
    """`make run` shows the demo sign-ins once, on the first start and on every later one; the
    demo's e-mails wait in the outbox (no MIME text on the terminal)."""
    from django.core import mail

    from kindergarten_portal.models import OutboxMessage

    for _start in range(2):
        call_command("seed_demo", "--if-empty")
        out = capsys.readouterr().out
        assert out.count("Demo sign-ins (password for all: demo-portal-2026):") == 1
        assert "metodist" in out and "polina" in out
        assert "Content-Type" not in out and "Subject:" not in out
    assert mail.outbox == []
    assert OutboxMessage.objects.exists()
