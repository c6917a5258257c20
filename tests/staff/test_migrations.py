"""The 2023 law migration carries existing decisions over (0003 → 0004)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

D = datetime.date
BEFORE = [("staff", "0003_alter_employee_phone")]
AFTER = [("staff", "0004_attestation_law_2023")]


@pytest.mark.django_db(transaction=True)
def test_migration_drops_the_automatic_term_after_september_2023_and_moves_conformity():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Employee = old.get_model("staff", "Employee")
    Decision = old.get_model("staff", "CategoryDecision")
    teacher = Employee.objects.create(surname="Старая", name="Анна", position="educator")
    legacy = Decision.objects.create(
        employee=teacher, category="first", decision_date=D(2023, 8, 31), valid_until=D(2028, 8, 31)
    )
    automatic = Decision.objects.create(
        employee=teacher, category="highest", decision_date=D(2023, 9, 1), valid_until=D(2028, 9, 1)
    )
    leap = Decision.objects.create(
        employee=teacher, category="methodist", decision_date=D(2024, 2, 29), valid_until=D(2029, 2, 28)
    )
    by_hand = Decision.objects.create(
        employee=teacher, category="first", decision_date=D(2024, 1, 15), valid_until=D(2026, 1, 15)
    )
    Decision.objects.create(
        employee=teacher,
        category="conformity",
        decision_date=D(2022, 4, 5),
        order_number="7-А",
        valid_until=D(2027, 4, 5),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Decision = new.get_model("staff", "CategoryDecision")
    Conformity = new.get_model("staff", "ConformityDecision")
    ends = dict(Decision.objects.values_list("pk", "valid_until"))
    assert ends == {
        legacy.pk: D(2028, 8, 31),
        automatic.pk: None,
        leap.pk: None,
        by_hand.pk: D(2026, 1, 15),
    }
    assert list(Conformity.objects.values_list("employee_id", "decision_date", "order_number", "result")) == [
        (teacher.pk, D(2022, 4, 5), "7-А", "conforms")
    ]
    # The schema whole again for the tests after this one (later apps' migrations stand on staff's).
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_install_tells_the_office_once_that_names_in_results_need_consent():
    """0009: on a database with staff, each senior educator with an address gets one e-mail in the
    outbox; nobody has consented, so no name is public until she does."""
    before = [("staff", "0008_employee_results_name_consent")]
    after = [("staff", "0009_results_name_consent_notice")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("staff", "Employee").objects.create(surname="Давняя", name="Ольга", position="educator")
    group, _created = old.get_model("auth", "Group").objects.get_or_create(name="senior_educator")
    User = old.get_model("auth", "User")
    office = User.objects.create(username="metodist-old", email="metodist@sad.ru")
    office.groups.add(group)
    User.objects.create(username="teacher-old", email="teacher@sad.ru")
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    messages = list(new.get_model("kindergarten_portal", "OutboxMessage").objects.all())
    assert [(m.recipient, m.kind) for m in messages] == [
        ("metodist@sad.ru", "staff.results_name_consent_notice")
    ]
    assert "с её отдельного согласия" in messages[0].body
    assert (
        not new.get_model("staff", "Employee").objects.filter(results_name_consent_at__isnull=False).exists()
    )
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
