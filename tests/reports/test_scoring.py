"""A small year scored by hand equals the built rating."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from events.models import Level
from portfolios.models import EntryStatus, ReportItem, Result
from reports.models import Outcome, RecommendationCriterion, ScoringRule
from reports.scoring import competition_ranks, entry_points, ordered_rules, rating_rank, rating_recommend
from reports.services import rating_build
from staff.models import Category
from tests.factories import CategoryDecisionFactory

from .factories import entry, teacher_with_category, year

TODAY = datetime.date(2026, 11, 20)  # the year 2025/2026 is over: categories are read on 31.08.2026


@pytest.fixture
def small_year(db):
    a = teacher_with_category(Category.HIGHEST, surname="Алексеева")
    b = teacher_with_category(Category.FIRST, surname="Борисова")
    c = teacher_with_category(Category.NONE, surname="Васина")
    d = teacher_with_category(Category.HIGHEST, surname="Гусева")  # highest + teacher-mentor
    CategoryDecisionFactory(employee=d, category=Category.MENTOR, decision_date=datetime.date(2024, 6, 1))
    # A: 3 + 3 + 9 + 2 = 17
    entry(a, ReportItem.COURSE_TRAINING, day=datetime.date(2025, 9, 1), hours=72)
    entry(a, ReportItem.METHODOLOGICAL, level=Level.MUNICIPAL)
    entry(a, ReportItem.COMPETITIONS, level=Level.REGIONAL, result=Result.WINNER)
    entry(a, ReportItem.AWARDS, level=Level.MUNICIPAL)
    # B: 9 + 2 + 6 = 17, a tie with A; a returned entry and last year's entry do not count
    entry(b, ReportItem.COMPETITIONS, level=Level.REGIONAL, result=Result.WINNER)
    entry(b, ReportItem.METHODOLOGICAL, level=Level.INSTITUTIONAL)
    entry(b, ReportItem.PUPILS, level=Level.FEDERAL, result=Result.PRIZE_WINNER)
    entry(
        b,
        ReportItem.COMPETITIONS,
        level=Level.INTERNATIONAL,
        result=Result.WINNER,
        status=EntryStatus.RETURNED,
    )
    entry(b, ReportItem.AWARDS, level=Level.INTERNATIONAL, day=datetime.date(2025, 8, 31))
    # C: 0.5 + 0.5 = 1 (31 August counts, 1 September of the next year does not)
    entry(c, ReportItem.SELF_EDUCATION, level=Level.INSTITUTIONAL, day=datetime.date(2026, 8, 31))
    entry(c, ReportItem.SELF_EDUCATION)
    entry(c, ReportItem.AWARDS, level=Level.FEDERAL, day=datetime.date(2026, 9, 1))
    # D: nothing
    return a, b, c, d


def test_rating_equals_the_hand_scored_year(small_year):
    a, b, c, d = small_year
    build = rating_build(year=year(), today=TODAY, workbook=False)
    rows = {row.teacher_id: row for row in build.rows.all()}

    assert build.as_of == datetime.date(2026, 8, 31)
    assert build.teachers_count == 4
    assert build.entries_count == 9
    assert [(rows[t.pk].total, rows[t.pk].rank) for t in (a, b, c, d)] == [
        (Decimal("17.0"), 1),
        (Decimal("17.0"), 1),
        (Decimal("1.0"), 3),
        (Decimal("0.0"), 4),
    ]
    assert rows[a.pk].directions == [Decimal("3.0"), Decimal("2.0"), Decimal("12.0"), Decimal("0.0")]
    assert rows[b.pk].directions == [Decimal("0.0"), Decimal("0.0"), Decimal("11.0"), Decimal("6.0")]
    assert rows[a.pk].item_points == {"1.4": "3.0", "2": "2.0", "3.1": "3.0", "3.3": "9.0"}
    assert rows[c.pk].item_points == {"1.6": "1.0"}
    assert rows[d.pk].item_points == {} and rows[d.pk].entries_count == 0
    assert [rows[t.pk].category for t in (a, b, c, d)] == ["highest", "first", "none", "mentor"]
    assert rows[a.pk].top_level_3 == Level.REGIONAL
    assert rows[c.pk].top_level_3 == ""


def test_rating_recommendations_say_which_criteria_were_met(small_year):
    a, b, c, d = small_year
    build = rating_build(year=year(), today=TODAY, workbook=False)
    rows = {row.teacher_id: row for row in build.rows.all()}

    assert rows[a.pk].recommendation == Outcome.CONFIRM_HIGHEST
    # B (first category) misses "raise to highest" on total but confirms the first.
    assert rows[b.pk].recommendation == Outcome.CONFIRM_FIRST
    assert rows[b.pk].criteria == [
        {
            "outcome": "raise_to_highest",
            "min_total": "25.0",
            "min_level": "regional",
            "total_met": False,
            "level_met": True,
        },
        {
            "outcome": "confirm_first",
            "min_total": "10.0",
            "min_level": "institutional",
            "total_met": True,
            "level_met": True,
        },
    ]
    assert rows[c.pk].recommendation == ""
    assert rows[c.pk].criteria == [
        {
            "outcome": "raise_to_first",
            "min_total": "15.0",
            "min_level": "municipal",
            "total_met": False,
            "level_met": False,
        }
    ]
    assert rows[d.pk].recommendation == ""


def test_rating_ranks_within_category(small_year):
    build = rating_build(year=year(), today=TODAY, workbook=False)
    assert sorted((r.category, r.category_rank) for r in build.rows.all()) == [
        ("first", 1),
        ("highest", 1),
        ("mentor", 1),
        ("none", 1),
    ]


def test_building_again_makes_a_new_version_and_keeps_the_old(small_year):
    a, *_ = small_year
    first = rating_build(year=year(), today=TODAY, workbook=False)
    entry(a, ReportItem.AWARDS, level=Level.FEDERAL)  # +4
    second = rating_build(year=year(), today=TODAY, workbook=False)
    assert first.pk != second.pk
    assert first.rows.get(teacher=a).total == Decimal("17.0")
    assert second.rows.get(teacher=a).total == Decimal("21.0")


def test_edited_scoring_table_changes_the_next_build(small_year):
    a, *_ = small_year
    ScoringRule.objects.filter(item="3.3", level="regional", result="winner").update(points=Decimal("20"))
    build = rating_build(year=year(), today=TODAY, workbook=False)
    assert build.rows.get(teacher=a).total == Decimal("28.0")


def test_default_table_rewards_level_and_result(db):
    rules = ordered_rules()
    levels = [level.value for level in Level]
    results = [result.value for result in Result]
    for item in ("3.3", "4"):
        table = [
            [entry_points(rules, item=item, level=lv, result=rs, hours=None) for rs in results]
            for lv in levels
        ]
        for by_result in table:  # a better result earns more at every level
            assert by_result == sorted(by_result) and len(set(by_result)) == len(by_result)
        for by_level in zip(*table, strict=True):  # a higher level earns more for every result
            assert list(by_level) == sorted(by_level) and len(set(by_level)) == len(by_level)
    assert entry_points(rules, item="1.4", level="", result="", hours=24) == Decimal("1.0")
    assert entry_points(rules, item="1.4", level="", result="", hours=36) == Decimal("2.0")
    assert entry_points(rules, item="1.4", level="", result="", hours=144) == Decimal("3.0")
    assert entry_points(rules, item="2", level="", result="", hours=None) == Decimal("1.0")


def test_python_and_sql_scoring_agree(small_year):
    """The self-report's points (Python) and the rating's (SQL) come from the same rules."""
    from reports.selectors.self_reports import self_report_live_content

    a, b, *_ = small_year
    build = rating_build(year=year(), today=TODAY, workbook=False)
    for teacher in (a, b):
        content = self_report_live_content(teacher=teacher, year=year())
        assert Decimal(content["total"]) == build.rows.get(teacher=teacher).total


def test_competition_ranks_share_equal_totals():
    assert competition_ranks([Decimal(9), Decimal(9), Decimal(5), Decimal(5), Decimal(1)]) == [1, 1, 3, 3, 5]
    assert competition_ranks([]) == []


def _line(name, category, total, top_level=""):
    return SimpleNamespace(teacher_name=name, category=category, total=Decimal(total), top_level_3=top_level)


def test_rating_rank_orders_best_first_and_ranks_within_category():
    lines = [
        _line("Васина", Category.FIRST, "9.0"),
        _line("Алексеева", Category.HIGHEST, "12.0"),
        _line("Борисова", Category.FIRST, "12.0"),
        _line("Гусева", Category.HIGHEST, "3.5"),
        _line("Дёмина", Category.FIRST, "9.0"),
    ]
    ranked = rating_rank(lines)
    assert [(r.teacher_name, r.rank, r.category_rank) for r in ranked] == [
        ("Алексеева", 1, 1),
        ("Борисова", 1, 1),
        ("Васина", 3, 2),
        ("Дёмина", 3, 2),
        ("Гусева", 5, 2),
    ]
    assert rating_rank([]) == []


def test_rating_recommend_checks_each_outcome_of_the_category():
    criteria = {
        Outcome.RAISE_TO_HIGHEST: RecommendationCriterion(
            outcome=Outcome.RAISE_TO_HIGHEST, min_total=Decimal("20.0"), min_level=Level.REGIONAL
        ),
        Outcome.CONFIRM_FIRST: RecommendationCriterion(
            outcome=Outcome.CONFIRM_FIRST, min_total=Decimal("8.0")
        ),
    }
    raised, confirmed, neither = rating_recommend(
        [
            _line("Алексеева", Category.FIRST, "21.0", Level.REGIONAL),
            _line("Борисова", Category.FIRST, "21.0", Level.MUNICIPAL),
            _line("Васина", Category.FIRST, "7.5"),
        ],
        criteria=criteria,
    )
    assert raised.recommendation == Outcome.RAISE_TO_HIGHEST
    assert confirmed.recommendation == Outcome.CONFIRM_FIRST
    assert [(c["outcome"], c["total_met"], c["level_met"]) for c in confirmed.criteria] == [
        ("raise_to_highest", True, False),
        ("confirm_first", True, True),
    ]
    assert neither.recommendation == ""
    assert [(c["outcome"], c["total_met"]) for c in neither.criteria] == [
        ("raise_to_highest", False),
        ("confirm_first", False),
    ]
