"""A teacher who moves keeps one account (NETWORK.md, decision 1): her old kindergarten gives its
staff record a dismissal date, her new one adds its own record and links her account by her e-mail
(the «create accounts» action); her history stays with the record that verified it, and she may
carry chosen approved entries to her new portfolio, marked with the kindergarten that confirmed them.

Anna works at our kindergarten (K1); «Берёзка» (K2) has its senior educator metodist2."""

import datetime
import os

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from kindergarten_portal.models import OutboxMessage
from portfolios.models import EntryStatus, EvidenceFile, PortfolioEntry
from staff.academic import AcademicYear
from staff.access import staff_record
from staff.models import Employee
from tests.factories import EmployeeFactory, UserFactory
from tests.portfolios.factories import approved_entry, submitted_entry, with_file

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:staff_employee_changelist")


@pytest.fixture
def metodist2(berezka):
    return UserFactory(username="metodist2", role=SENIOR_EDUCATOR, role__kindergarten=berezka)


def _today():
    return timezone.localdate()


def _leave(user, *, on):
    record = Employee.objects.get(user=user)
    record.dismissal_date = on
    record.save(update_fields=["dismissal_date"])
    return record


def _new_record(berezka, user):
    return EmployeeFactory(
        surname="Антонова", organization=berezka, email=user.email, hire_date=_today(), user=None
    )


def _link(client, metodist2, record):
    client.force_login(metodist2)
    return client.post(
        CHANGELIST, {"action": "create_accounts", "_selected_action": [record.pk]}, follow=True
    )


def _moved(client, anna, berezka, metodist2):
    """Anna left K1 yesterday and K2's office linked her account to its record today."""
    old = _leave(anna, on=_today() - datetime.timedelta(days=1))
    new = _new_record(berezka, anna)
    _link(client, metodist2, new)
    new.refresh_from_db()
    return old, new


def test_the_new_kindergarten_links_her_account_and_tells_her(client, anna, berezka, metodist2):
    anna.email = "anna@example.org"
    anna.save(update_fields=["email"])
    old = _leave(anna, on=_today() - datetime.timedelta(days=1))
    new = _new_record(berezka, anna)
    response = _link(client, metodist2, new)
    new.refresh_from_db()
    assert new.user_id == anna.pk
    assert "Связана 1 учётная запись педагога, перешедшего к нам (логин и пароль прежние)" in (
        response.content.decode()
    )
    mail = OutboxMessage.objects.get(kind="staff.account_linked")
    assert mail.recipient == new.mail_address
    assert "Берёзка" in mail.body and anna.username in mail.body
    assert reverse("portfolios:carry") in mail.body
    # One account: nothing new created; the old record keeps the account and its history.
    assert type(anna).objects.filter(email__iexact=anna.email).count() == 1
    old.refresh_from_db()
    assert old.user_id == anna.pk


def test_an_account_still_working_elsewhere_is_not_taken(client, anna, berezka, metodist2):
    new = _new_record(berezka, anna)
    response = _link(client, metodist2, new)
    new.refresh_from_db()
    assert new.user_id is None
    page = response.content.decode()
    assert "этот e-mail принадлежит другой учётной записи; напишите городскому администратору" in page
    assert "Солнышко" not in page  # the refusal never says whose the account is
    assert not OutboxMessage.objects.filter(kind__startswith="staff.account").exists()


def test_an_office_account_is_never_taken(client, senior, berezka, metodist2):
    senior.email = "office@example.org"
    senior.save(update_fields=["email"])
    record = EmployeeFactory(organization=berezka, email="office@example.org")
    _link(client, metodist2, record)
    record.refresh_from_db()
    assert record.user_id is None


def test_one_current_employment_at_a_time(anna, berezka):
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployeeFactory(organization=berezka, user=anna)
    _leave(anna, on=_today())
    EmployeeFactory(organization=berezka, user=anna)  # her old record has its last day: allowed
    assert Employee.objects.filter(user=anna).count() == 2


def test_a_second_current_record_is_refused_with_the_reason(anna, berezka):
    second = Employee(surname="Антонова", name="Мария", organization=berezka, user=anna)
    with pytest.raises(ValidationError) as refused:
        second.validate_constraints()
    assert refused.value.messages == [
        "У этой учётной записи уже есть текущая запись о работе: сначала в другой записи должна быть "
        "указана дата увольнения."
    ]


def test_after_the_move_she_works_in_her_new_kindergarten(client, anna, berezka, metodist2):
    old_entry = approved_entry(staff_record(anna), title="Открытое занятие в старом саду")
    old, new = _moved(client, anna, berezka, metodist2)
    client.force_login(anna)
    assert client.get(reverse("staff:my_page")).context["employee"] == new
    portfolio = client.get(reverse("portfolios:my_portfolio")).content.decode()
    assert old_entry.title not in portfolio  # her history stays with the old kindergarten
    assert reverse("portfolios:carry") in portfolio
    # Her old entry is not hers to open from the new kindergarten.
    assert client.get(reverse("portfolios:entry_detail", args=[old_entry.pk])).status_code == 404


def test_the_offices_manage_her_account_where_she_works_now(client, anna, senior, berezka, metodist2):
    _moved(client, anna, berezka, metodist2)
    users = reverse("admin:auth_user_changelist")
    client.force_login(metodist2)
    assert "anna" in [u.username for u in client.get(users).context["cl"].result_list]
    client.force_login(senior)
    assert "anna" not in [u.username for u in client.get(users).context["cl"].result_list]
    assert client.get(reverse("admin:auth_user_change", args=[anna.pk])).status_code in (302, 404)


def test_she_carries_chosen_approved_entries_confirmed_by_her_old_kindergarten(
    client, anna, berezka, metodist2, django_capture_on_commit_callbacks, settings
):
    old_teacher = staff_record(anna)
    k1 = old_teacher.organization
    kept = approved_entry(old_teacher, title="Мастер-класс «Игры с мячом»")
    evidence = with_file(kept)
    left = approved_entry(old_teacher, title="Публикация в сборнике")
    draft = submitted_entry(old_teacher, title="Неподтверждённая запись")
    _, new = _moved(client, anna, berezka, metodist2)
    client.force_login(anna)
    page = client.get(reverse("portfolios:carry"))
    listed = {entry.pk for entry in page.context["page_obj"]}
    assert listed == {kept.pk, left.pk}  # approved ones only; not the submitted one
    assert k1.name in page.content.decode()

    response = client.post(reverse("portfolios:carry"), {"entry": [kept.pk]}, follow=True)
    assert "В портфолио перенесена 1 запись." in response.content.decode()
    copy = PortfolioEntry.objects.get(teacher=new)
    assert (copy.title, copy.status, copy.confirmed_by, copy.carried_from) == (
        kept.title,
        EntryStatus.APPROVED,
        k1,
        kept,
    )
    assert copy.approved_at == kept.approved_at and copy.source_type == ""
    assert copy.status_label == f"Подтверждено: {k1.name}"
    copied = EvidenceFile.objects.get(entry=copy)
    assert copied.file.name == evidence.file.name
    portfolio = client.get(reverse("portfolios:my_portfolio"), {"year": str(_year_of(copy.date))})
    assert copy.title in portfolio.content.decode() and k1.name in portfolio.content.decode()

    # Carrying it again changes nothing.
    client.post(reverse("portfolios:carry"), {"entry": [kept.pk]})
    assert PortfolioEntry.objects.filter(teacher=new).count() == 1
    # Another teacher's entry, or her own unapproved one, is not hers to carry: 404, nothing written.
    assert client.post(reverse("portfolios:carry"), {"entry": [draft.pk]}).status_code == 404
    assert PortfolioEntry.objects.filter(teacher=new).count() == 1

    # Her old kindergarten deletes its entry: the file her new portfolio names stays.
    path = evidence.file.path
    with django_capture_on_commit_callbacks(execute=True):
        kept.delete()
    assert os.path.exists(path)


def _year_of(day):
    return AcademicYear.of(day)


def test_another_teachers_entry_cannot_be_carried(client, anna, boris, berezka, metodist2):
    borises = approved_entry(staff_record(boris))
    _moved(client, anna, berezka, metodist2)
    client.force_login(anna)
    assert client.post(reverse("portfolios:carry"), {"entry": [borises.pk]}).status_code == 404
    assert not PortfolioEntry.objects.filter(carried_from=borises).exists()


def test_a_teacher_who_never_moved_has_nothing_to_carry(client, anna):
    approved_entry(staff_record(anna))
    client.force_login(anna)
    assert reverse("portfolios:carry") not in client.get(reverse("portfolios:my_portfolio")).content.decode()
    page = client.get(reverse("portfolios:carry"))
    assert list(page.context["page_obj"]) == []


# Her session, her user with her current record, the count and the page of her earlier entries
# (each with its kindergarten, file count and whether it was carried): at 1 and at 13 entries.
CARRY_QUERIES = 4


@pytest.mark.parametrize("more", [0, 12])
def test_the_carry_page_reads_a_constant_number_of_queries(
    client, anna, berezka, metodist2, django_assert_num_queries, more
):
    old_teacher = staff_record(anna)
    for _ in range(1 + more):
        with_file(approved_entry(old_teacher))
    _moved(client, anna, berezka, metodist2)
    client.force_login(anna)
    with django_assert_num_queries(CARRY_QUERIES):
        page = client.get(reverse("portfolios:carry"))
    assert len(page.context["page_obj"]) == 1 + more


def test_her_account_waits_for_her_dismissal_date_there(client, anna, berezka, metodist2):
    """Leaving K1 at the end of next week, she is linked to K2's record on that day, not before:
    until then she works under her K1 record."""
    leaving = _today() + datetime.timedelta(days=10)
    _leave(anna, on=leaving)
    new = _new_record(berezka, anna)
    page = _link(client, metodist2, new).content.decode()
    new.refresh_from_db()
    assert new.user_id is None
    assert (
        "ещё действует в другом детском саду до даты увольнения там; запустите действие снова в этот день"
        in page
    )
    assert "Солнышко" not in page and leaving.strftime("%d.%m.%Y") not in page  # neither whose nor when
    assert not OutboxMessage.objects.filter(kind="staff.account_linked").exists()

    with time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(leaving, datetime.time(9))), tick=False
    ):
        _link(client, metodist2, new)
    new.refresh_from_db()
    assert new.user_id == anna.pk
