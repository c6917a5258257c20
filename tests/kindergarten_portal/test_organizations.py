"""The ground of several kindergartens (issue «Several kindergartens», step 1): organizations live in
kindergarten_portal, every staff record and group belongs to a kindergarten, and the office's roles
are rows in it. Nothing a single kindergarten sees changes."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from events.models import Event, Series
from events.services import event_copy, plan_publish
from kindergarten_portal.access.roles import HEAD, SENIOR_EDUCATOR, TEACHER
from kindergarten_portal.models import (
    GENERIC_KINDERGARTEN_NAME,
    NetworkMembership,
    Organization,
    OrganizationKind,
    Role,
)
from kindergarten_portal.typography import slug_of
from portfolios.models import ReportItem
from reports.models import Outcome, RatingBuild, RecommendationCriterion, ScoringRule
from reports.scoring import criteria_by_outcome, ordered_rules
from reports.services import rating_build
from staff.importing import staff_import
from staff.models import Employee, KindergartenGroup
from tests.events.factories import EventFactory, OrganizationFactory, our_kindergarten
from tests.factories import UserFactory
from tests.reports.factories import current_year

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Детский сад № 7 «Берёзка»", "detskii-sad-7-berezka"),
        ("МАДОУ «Детский сад № 42»", "madou-detskii-sad-42"),
        ("Щучье, Объединение", "shchuche-obieedinenie"),
        ("«»", ""),
    ],
)
def test_a_russian_name_becomes_an_address_in_latin_letters(name, slug):
    assert slug_of(name) == slug


def test_our_kindergarten_gets_its_address_and_a_partner_none():
    own = our_kindergarten(name="МАДОУ «Детский сад № 42»")
    partner = OrganizationFactory(name="Детская библиотека", kind=OrganizationKind.LIBRARY)
    assert (own.slug, partner.slug) == ("madou-detskii-sad-42", None)
    # A name that turns into an address already taken gets a number after it.
    OrganizationFactory(name="Другой", slug="nash-sad")
    own.slug = None
    own.name = "Наш сад"
    own.save(update_fields=["name"])
    own.refresh_from_db()
    assert own.slug.startswith("nash-sad-") and own.name == "Наш сад"


def test_own_or_create_makes_the_generic_kindergarten_once():
    assert Organization.objects.own() is None
    made = Organization.objects.own_or_create()
    assert (made.name, made.is_own, made.kind) == (
        GENERIC_KINDERGARTEN_NAME,
        True,
        OrganizationKind.KINDERGARTEN,
    )
    assert Organization.objects.own_or_create() == made
    assert Organization.objects.count() == 1


def test_a_role_in_another_kindergarten_is_left_to_it():
    our_kindergarten()
    other = OrganizationFactory(name="Детский сад № 7 «Берёзка»")
    senior2 = UserFactory(role=SENIOR_EDUCATOR, role__kindergarten=other)
    assert list(Role.objects.filter(user=senior2).values_list("organization", "role")) == [
        (other.pk, SENIOR_EDUCATOR)
    ]


def test_office_roles_follow_the_office_groups_from_either_side():
    own = our_kindergarten()
    senior, head, teacher = (UserFactory(role=role) for role in (SENIOR_EDUCATOR, HEAD, TEACHER))

    def roles():
        return set(Role.objects.values_list("user__username", "organization", "role"))

    assert roles() == {(senior.username, own.pk, SENIOR_EDUCATOR), (head.username, own.pk, HEAD)}
    head.groups.remove(Group.objects.get(name=HEAD))
    assert roles() == {(senior.username, own.pk, SENIOR_EDUCATOR)}
    Group.objects.get(name=HEAD).user_set.add(teacher, head)
    assert roles() == {
        (senior.username, own.pk, SENIOR_EDUCATOR),
        (teacher.username, own.pk, HEAD),
        (head.username, own.pk, HEAD),
    }
    Group.objects.get(name=HEAD).user_set.clear()
    senior.groups.clear()
    assert roles() == set()


def test_office_roles_wait_for_the_kindergarten_to_be_on_record():
    senior = UserFactory()
    senior.groups.add(Group.objects.get(name=SENIOR_EDUCATOR))
    assert not Role.objects.exists() and not Organization.objects.exists()
    own = our_kindergarten()
    assert list(Role.objects.values_list("user", "organization", "role")) == [
        (senior.pk, own.pk, SENIOR_EDUCATOR)
    ]


def _workbook():
    book = Workbook()
    sheet = book.active
    sheet.append(["Фамилия", "Имя", "Отчество", "Должность", "Группы"])
    sheet.append(["Петрова", "Ольга", "Ивановна", "воспитатель", "Солнышко"])
    sheet.append(["Сидорова", "Анна", "Петровна", "воспитатель", "Ромашка"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_an_import_writes_its_records_and_groups_into_our_kindergarten():
    own = our_kindergarten()
    assert staff_import(file=_workbook(), dry_run=False).created == 2
    assert set(Employee.objects.values_list("organization", flat=True)) == {own.pk}
    assert set(KindergartenGroup.objects.values_list("organization", flat=True)) == {own.pk}


def test_an_import_before_the_kindergarten_is_entered_makes_the_generic_one():
    staff_import(file=_workbook(), dry_run=False)
    own = Organization.objects.get()
    assert own.is_own and own.name == GENERIC_KINDERGARTEN_NAME
    assert set(Employee.objects.values_list("organization", flat=True)) == {own.pk}


def test_records_added_in_the_admin_belong_to_our_kindergarten(client, senior):
    own = our_kindergarten()
    client.force_login(senior)
    response = client.post(
        reverse("admin:staff_kindergartengroup_add"), {"name": "Капелька", "orientation": "general"}
    )
    assert response.status_code == 302
    assert KindergartenGroup.objects.get(name="Капелька").organization == own
    form = client.get(reverse("admin:staff_employee_add")).content.decode()
    assert 'name="organization"' not in form  # not hers to choose: the office's kindergarten


def test_the_organizations_admin_moved_with_its_rights(client, senior, head):
    partner = OrganizationFactory(name="Детская библиотека", kind=OrganizationKind.LIBRARY)
    assert ContentType.objects.get_for_model(Organization).app_label == "kindergarten_portal"
    client.force_login(head)
    assert client.get(reverse("admin:kindergarten_portal_organization_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:kindergarten_portal_organization_change", args=[partner.pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:kindergarten_portal_organization_add")).status_code == 403
    client.force_login(senior)
    assert client.get(reverse("admin:kindergarten_portal_organization_add")).status_code == 200


def test_the_demo_kindergarten_holds_its_staff_groups_and_office():
    call_command("seed_demo", stdout=io.StringIO())
    own = Organization.objects.own()
    assert own.slug == "madou-detskii-sad-42"
    assert set(Employee.objects.values_list("organization", flat=True)) == {own.pk}
    assert set(KindergartenGroup.objects.values_list("organization", flat=True)) == {own.pk}
    assert set(Role.objects.values_list("user__username", "organization", "role")) == {
        ("metodist", own.pk, SENIOR_EDUCATOR),
        ("head", own.pk, HEAD),
    }
    assert set(Event.objects.values_list("host", flat=True)) == {own.pk}
    assert set(Series.objects.values_list("host", flat=True)) == {own.pk}
    assert set(RatingBuild.objects.values_list("organization", flat=True)) == {own.pk}


def test_events_series_and_plans_added_by_the_office_are_kept_by_our_kindergarten(client, senior):
    own = our_kindergarten()
    library = OrganizationFactory(name="Детская библиотека", kind=OrganizationKind.LIBRARY)
    client.force_login(senior)
    response = client.post(
        reverse("admin:events_series_add"), {"theme": "Игра", "academic_year": 2026, "description": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Series.objects.get().host == own
    event = EventFactory(organizer=library, host=own)
    assert event_copy(event=event).host == own  # the copy stays with the office that made it
    plan, _created = plan_publish(year=2027, month=1, published_by=senior)
    assert plan.organization == own


def test_a_kindergarten_scores_by_its_own_table_or_else_the_citys_default():
    own = our_kindergarten()
    default = ScoringRule.objects.filter(organization__isnull=True)
    assert default.exists() and not ScoringRule.objects.exclude(organization__isnull=True).exists()
    assert {rule.pk for rule in ordered_rules(organization=own)} == set(default.values_list("pk", flat=True))
    ScoringRule.objects.create(organization=own, item=ReportItem.ATTESTATION, points=7)
    assert [(rule.item, rule.points) for rule in ordered_rules(organization=own)] == [
        (ReportItem.ATTESTATION, 7)
    ]
    assert {rule.pk for rule in ordered_rules()} == set(default.values_list("pk", flat=True))
    # The criteria the same way.
    city = criteria_by_outcome(own)
    assert city and all(criterion.organization_id is None for criterion in city.values())
    RecommendationCriterion.objects.create(organization=own, outcome=Outcome.RAISE_TO_FIRST, min_total=1)
    assert list(criteria_by_outcome(own)) == [Outcome.RAISE_TO_FIRST]
    # A rule twice in one table is refused; the same rule in another table is its own.
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoringRule.objects.create(organization=own, item=ReportItem.ATTESTATION, points=8)


def test_a_rating_build_is_of_our_kindergarten(senior):
    own = our_kindergarten()
    build = rating_build(year=current_year(datetime.date(2026, 9, 1)), by=senior, workbook=False)
    assert build.organization == own


# The migrations that bring the ground in: organizations moved, records filled, roles made.
BEFORE = [
    ("kindergarten_portal", "0003_outbox_sender_retries"),
    ("events", "0011_participation_sharing_format"),
    ("staff", "0009_results_name_consent_notice"),
    ("reports", "0005_rating_row_build_without_own_index"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets or executor.loader.graph.leaf_nodes()).apps


def _counts():
    """Rows in every table of the apps' models (their tables are the same before and after)."""
    from django.apps import apps

    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in ("staff", "events", "portfolios", "reports")
            or model in (Organization, NetworkMembership)
        }
    )
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_an_existing_install_migrates_into_its_kindergarten_with_every_row_kept():
    call_command("seed_demo", stdout=io.StringIO())
    demo_build = RatingBuild.objects.get()
    totals = dict(demo_build.rows.values_list("teacher_id", "total"))
    old = _migrate(BEFORE)
    assert not hasattr(old.get_model("staff", "Employee"), "organization")
    # As an install of today has it: the organization marked ours, an office in the groups, no roles.
    assert old.get_model("events", "Organization").objects.filter(is_own=True).count() == 1
    before = _counts()
    assert before["staff_employee"] == 21  # the seed's twenty teachers and one on child-care leave

    _migrate(None)
    assert _counts() == before
    own = Organization.objects.own()
    assert own.name == "МАДОУ «Детский сад № 42»" and own.slug == "madou-detskii-sad-42"
    assert not Employee.objects.filter(organization__isnull=True).exists()
    assert not KindergartenGroup.objects.filter(organization__isnull=True).exists()
    assert set(Role.objects.values_list("user__username", "role")) == {
        ("metodist", SENIOR_EDUCATOR),
        ("head", HEAD),
    }
    assert ContentType.objects.get_for_model(Organization).app_label == "kindergarten_portal"
    assert not Event.objects.filter(host__isnull=True).exists()
    assert not Series.objects.filter(host__isnull=True).exists()
    assert not RatingBuild.objects.filter(organization__isnull=True).exists()
    # The scoring table on file stays the city's default: scored as before.
    assert not ScoringRule.objects.filter(organization__isnull=False).exists()
    # The stored build as it was, and the rating built again from the migrated rows the same.
    assert dict(RatingBuild.objects.get().rows.values_list("teacher_id", "total")) == totals
    again = rating_build(
        year=demo_build.academic_year, by=demo_build.built_by, today=demo_build.as_of, workbook=False
    )
    assert dict(again.rows.values_list("teacher_id", "total")) == totals


@pytest.mark.django_db(transaction=True)
def test_an_install_without_its_kindergarten_on_record_gets_the_generic_one():
    UserFactory(username="senior", role=SENIOR_EDUCATOR)
    old = _migrate(BEFORE)
    # As an install of today has it without its kindergarten on record: a group, an office, no roles.
    old.get_model("events", "Organization").objects.all().delete()
    old.get_model("staff", "KindergartenGroup").objects.create(name="Солнышко")
    _migrate(None)
    own = Organization.objects.get()
    assert (own.name, own.is_own, own.slug) == (GENERIC_KINDERGARTEN_NAME, True, "mbdou-detskii-sad")
    assert KindergartenGroup.objects.get().organization == own
    assert list(Role.objects.values_list("user__username", "role")) == [("senior", SENIOR_EDUCATOR)]


@pytest.mark.django_db(transaction=True)
def test_a_new_empty_install_gets_no_kindergarten_until_its_first_record():
    _migrate(BEFORE)
    _migrate(None)
    assert not Organization.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_rows_still_without_a_kindergarten_become_ours_before_the_key_is_required():
    own = our_kindergarten()
    nullable = [
        ("staff", "0011_unique_per_kindergarten"),
        ("events", "0014_unique_per_kindergarten"),
        ("reports", "0006_kindergarten_of_builds_and_tables"),
    ]
    old = _migrate(nullable)
    teacher = old.get_model("staff", "Employee").objects.create(
        surname="Ничья", name="Анна", position="educator"
    )
    group = old.get_model("staff", "KindergartenGroup").objects.create(name="Ничья группа")
    library = old.get_model("kindergarten_portal", "Organization").objects.create(
        name="Библиотека", kind="library"
    )
    start = timezone.now()
    event = old.get_model("events", "Event").objects.create(
        title="Ничьё мероприятие",
        format="seminar",
        level="municipal",
        organizer=library,
        start=start,
        end=start,
    )
    _migrate(None)
    assert Employee.objects.get(pk=teacher.pk).organization == own
    assert KindergartenGroup.objects.get(pk=group.pk).organization == own
    assert Event.objects.get(pk=event.pk).host == own
