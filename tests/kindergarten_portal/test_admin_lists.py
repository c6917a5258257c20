"""The admin's long lists: search across a foreign key by ids, the date hierarchy's years from the range."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.events.factories import EventFactory, ParticipationFactory
from tests.factories import EmployeeFactory
from tests.portfolios.factories import EntryFactory

pytestmark = pytest.mark.django_db

PARTICIPATIONS = "admin:events_participation_changelist"
ENTRIES = "admin:portfolios_portfolioentry_changelist"


def _found(client, url, q):
    response = client.get(reverse(url), {"q": q})
    assert response.status_code == 200
    return response.context["cl"]


def test_participations_are_found_by_teacher_and_event_every_word_matching(client, senior):
    ivanova, petrova = EmployeeFactory(surname="Иванова", name="Ольга"), EmployeeFactory(surname="Петрова")
    speech, music = EventFactory(title="Развитие речи"), EventFactory(title="Музыка в группе")
    for teacher in (ivanova, petrova):
        for event in (speech, music):
            ParticipationFactory(teacher=teacher, event=event)
    client.force_login(senior)

    def found(q):
        return sorted(
            (p.teacher.surname, p.event.title) for p in _found(client, PARTICIPATIONS, q).result_list
        )

    assert found("Иванова") == [("Иванова", "Музыка в группе"), ("Иванова", "Развитие речи")]
    assert found("речи") == [("Иванова", "Развитие речи"), ("Петрова", "Развитие речи")]
    assert found("Ольга речи") == [("Иванова", "Развитие речи")]  # each word in a field of its own
    assert found('"Музыка в"') == [("Иванова", "Музыка в группе"), ("Петрова", "Музыка в группе")]
    assert found("Сидорова") == []


def test_entries_are_found_by_title_organizer_or_teacher(client, senior):
    ivanova = EmployeeFactory(surname="Иванова")
    EntryFactory(teacher=ivanova, title="Диплом конкурса", organizer="ИМЦ")
    EntryFactory(title="Грамота Ивановой", organizer="ИМЦ")  # her name in another's title
    EntryFactory(title="Сертификат", organizer="Фонд «Иванова и партнёры»")
    EntryFactory(title="Сертификат", organizer="ИРО")
    client.force_login(senior)
    titles = sorted(e.title for e in _found(client, ENTRIES, "Иванов").result_list)
    assert titles == ["Грамота Ивановой", "Диплом конкурса", "Сертификат"]


def test_search_across_a_relation_ignores_the_case_of_cyrillic_letters(client, senior, requires_postgres):
    # SQLite folds Latin letters only; PostgreSQL's UPPER folds Cyrillic as Django's own search does.
    ParticipationFactory(
        teacher=EmployeeFactory(surname="Иванова"), event=EventFactory(title="Развитие речи")
    )
    EntryFactory(teacher=EmployeeFactory(surname="Петрова"), title="Диплом")
    client.force_login(senior)
    assert _found(client, PARTICIPATIONS, "иванова РЕЧИ").result_count == 1
    assert _found(client, ENTRIES, "петрова").result_count == 1


@pytest.mark.parametrize("rows", [1, 6])
def test_entries_search_makes_the_same_queries_for_one_and_many_rows(
    client, senior, django_assert_num_queries, rows
):
    for n in range(rows):
        EntryFactory(teacher=EmployeeFactory(surname=f"Иванова{n}"))
    client.force_login(senior)
    client.get(reverse(ENTRIES), {"q": "Иванова"})  # warm the session and content types
    # session, user, permissions (2), the teachers found (one word, one relation), the count, the
    # page, the dates' range read twice (the hierarchy's start level and its years)
    with django_assert_num_queries(9):
        assert _found(client, ENTRIES, "Иванова").result_count == rows


def test_entries_date_hierarchy_offers_every_year_from_the_first_to_the_last(client, senior):
    for year in (2021, 2023, 2025):
        EntryFactory(date=datetime.date(year, 3, 1))
    client.force_login(senior)
    page = client.get(reverse(ENTRIES)).content.decode()
    for year in (2021, 2022, 2023, 2024, 2025):
        assert f"date__year={year}" in page
    assert "date__year=2020" not in page and "date__year=2026" not in page
    # A year chosen: its months as Django reads them.
    months = client.get(reverse(ENTRIES), {"date__year": 2023}).content.decode()
    assert "date__month=3" in months and "date__month=4" not in months


def _rows(kind, n):
    """n rows of the list `kind`, each tied to a teacher named Иванова… (found by the search)."""
    from reports.models import SelfReport
    from tests.events.factories import ExternalParticipantFactory
    from tests.factories import KindergartenGroupFactory, TrainingFactory
    from tests.portfolios.factories import MiniSiteFactory
    from tests.reports.factories import year

    for index in range(n):
        teacher = EmployeeFactory(surname=f"Иванова{index}")
        if kind == "training":
            TrainingFactory(employee=teacher)
        elif kind == "selfreport":
            SelfReport.objects.create(teacher=teacher, academic_year=year())
        elif kind == "externalparticipant":
            ExternalParticipantFactory(event=EventFactory(title=f"Иванова{index}"))
        elif kind == "minisite":
            MiniSiteFactory(teacher=teacher)
        elif kind == "participation":
            ParticipationFactory(teacher=teacher)
        elif kind == "portfolioentry":
            EntryFactory(teacher=teacher)
        elif kind == "kindergartengroup":
            KindergartenGroupFactory(name=f"Иванова{teacher.pk}")  # names are unique


@pytest.mark.parametrize(
    "url,kind",
    [
        ("admin:staff_training_changelist", "training"),
        ("admin:reports_selfreport_changelist", "selfreport"),
        ("admin:events_externalparticipant_changelist", "externalparticipant"),
        ("admin:portfolios_minisite_changelist", "minisite"),
        ("admin:events_participation_changelist", "participation"),
        ("admin:portfolios_portfolioentry_changelist", "portfolioentry"),
        ("admin:staff_kindergartengroup_changelist", "kindergartengroup"),
    ],
)
@pytest.mark.parametrize("q", ["", "Иванова"], ids=["list", "search"])
def test_admin_lists_make_the_same_queries_for_one_and_many_rows(
    client, senior, django_assert_num_queries, url, kind, q
):
    _rows(kind, 1)
    client.force_login(senior)
    client.get(reverse(url), {"q": q})  # warm the session and content types
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(url), {"q": q}).context["cl"].result_count == 1
    _rows(kind, 4)  # Иванова0…3 again: five rows in all
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(reverse(url), {"q": q}).context["cl"].result_count == 5


def test_admin_lists_of_the_network_page_by_50(client, senior):
    client.force_login(senior)
    for name in ("staff_kindergartengroup", "events_eventcertificate", "auth_user", "staff_employee"):
        response = client.get(reverse(f"admin:{name}_changelist"))
        assert response.context["cl"].list_per_page == 50, name
        assert response.context["cl"].show_full_result_count is False, name


# ---------------------------------------------------------------- a search's count, capped


def _submitted(n, title):
    """n submitted entries of one teacher, titled `title` and a number (in bulk: a thousand and one)."""
    from django.utils import timezone

    from portfolios.models import EntryKind, EntryStatus, PortfolioEntry, ReportItem

    teacher, now = EmployeeFactory(surname="Петрова"), timezone.now()
    PortfolioEntry.objects.bulk_create(
        PortfolioEntry(
            teacher=teacher,
            item=ReportItem.AWARDS,
            kind=EntryKind.GRATITUDE,
            title=f"{title} {index}",
            date=datetime.date(2025, 10, 15),
            status=EntryStatus.SUBMITTED,
            submitted_at=now,
        )
        for index in range(n)
    )


def test_a_search_finding_more_than_a_thousand_is_counted_to_the_thousand_and_says_so(client, senior):
    from kindergarten_portal.lists.admin_lists import SEARCH_COUNT_CAP

    _submitted(SEARCH_COUNT_CAP + 1, "Грамота")
    _submitted(3, "Диплом")
    client.force_login(senior)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(ENTRIES), {"q": "Грамота"})
    cl = response.context["cl"]
    assert cl.paginator.capped and cl.result_count == SEARCH_COUNT_CAP == 1000
    assert len(cl.result_list) == 50 and cl.paginator.num_pages == 20
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*) FROM (")]
    assert len(counts) == 1 and "LIMIT 1001" in counts[0]
    # The ids alone: no order, no subquery counting each entry's files
    assert "ORDER BY" not in counts[0] and "evidencefile" not in counts[0]
    page = response.content.decode()
    assert "Найдено более 1000: показаны первые 1000. Уточните поиск, чтобы увидеть остальные." in page
    assert "найдено более 1000" in page  # beside the search box, not «1000 результатов»
    assert "Выбрать все найденные (более 1000)" in page  # not «Выбрать все 1000 …»
    assert "Выбрать все 1000" not in page
    # Its last page holds the thousandth match; past it the admin says the page is wrong.
    assert len(client.get(reverse(ENTRIES), {"q": "Грамота", "p": 20}).context["cl"].result_list) == 50
    assert client.get(reverse(ENTRIES), {"q": "Грамота", "p": 21}).status_code == 302


def test_a_search_finding_up_to_a_thousand_and_a_list_without_search_are_counted_exactly(client, senior):
    _submitted(1001, "Грамота")
    _submitted(3, "Диплом")
    client.force_login(senior)
    found = client.get(reverse(ENTRIES), {"q": "Диплом"})
    assert not found.context["cl"].paginator.capped and found.context["cl"].result_count == 3
    assert "Всего: 3" in found.content.decode() and "Найдено более" not in found.content.decode()
    listed = client.get(reverse(ENTRIES))
    assert listed.context["cl"].result_count == 1004 and "Всего: 1004" in listed.content.decode()
    # A space alone is no search: counted as the whole list.
    assert client.get(reverse(ENTRIES), {"q": " "}).context["cl"].result_count == 1004


def test_an_action_on_all_found_acts_on_every_match_past_the_thousand(client, senior):
    from portfolios.models import EntryStatus, PortfolioEntry

    _submitted(1001, "Грамота")
    _submitted(3, "Диплом")
    client.force_login(senior)
    response = client.post(
        reverse(ENTRIES) + "?q=Грамота",
        {
            "action": "return_selected",
            "select_across": "1",
            "index": "0",
            "_selected_action": [PortfolioEntry.objects.filter(title="Грамота 0").get().pk],
            "comment": "Приложите скан с подписью.",
        },
    )
    assert response.status_code == 302
    assert (
        PortfolioEntry.objects.filter(title__startswith="Грамота", status=EntryStatus.RETURNED).count()
        == 1001
    )
    assert (
        PortfolioEntry.objects.filter(title__startswith="Диплом", status=EntryStatus.SUBMITTED).count() == 3
    )
