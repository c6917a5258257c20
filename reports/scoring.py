"""The scoring table applied to entries, in SQL (the rating build) and in Python (one report's lines),
the recommendation criteria applied to a teacher's total, and the ranks of a rating's lines.

Both ways pick the same rule: the rules of the entry's item ordered most specific first
(`ordered_rules`); the first that matches gives the points.
"""

from bisect import bisect_right
from collections import defaultdict
from decimal import Decimal
from itertools import groupby

from django.db.models import Case, DecimalField, IntegerField, Q, Value, When

from .models import LEVEL_RANK, OUTCOMES_FOR_CATEGORY, RecommendationCriterion, ScoringRule

ZERO = Decimal("0.0")
POINTS_FIELD = DecimalField(max_digits=8, decimal_places=1)
METHODOLOGICAL_ITEMS = ("3.1", "3.2", "3.3")


def kindergarten_table(model, organization) -> list:
    """A kindergarten's own rows of a table (the scoring rules, the recommendation criteria) when it has
    any, else the city's default every kindergarten starts from (the rows of no kindergarten). One query."""
    rows = list(model.objects.filter(Q(organization__isnull=True) | Q(organization=organization)))
    own = [row for row in rows if organization is not None and row.organization_id == organization.pk]
    return own or [row for row in rows if row.organization_id is None]


def ordered_rules(rules=None, *, organization=None) -> list[ScoringRule]:
    """The scoring table (the kindergarten's, see `kindergarten_table`), most specific rule first (level
    and result named, then the most hours)."""
    rules = kindergarten_table(ScoringRule, organization) if rules is None else list(rules)
    return sorted(rules, key=lambda r: (r.item, -r.specificity[0], -r.specificity[1], r.level, r.result))


def item_points_expression(rules: list[ScoringRule]):
    """A CASE expression giving the points in tenths (an integer) of an entry of one item, under
    that item's rules in `ordered_rules()` order; for summing in the database.

    Nested by level, then by result: an entry is compared with each level the rules name once,
    then with the results named at its level, instead of with every rule in turn (a tenth of the
    comparisons for items 3.3 and 4). Each branch keeps, in order, the rules that can match there
    (those naming that level or any level), so the first match is the same rule as in the flat list.
    """
    return _points_case(list(rules), ("level", "result"))


def _points_case(rules, fields):
    if fields:
        field, rest = fields[0], fields[1:]
        named = list(dict.fromkeys(getattr(rule, field) for rule in rules if getattr(rule, field)))
        if not named:
            return _points_case(rules, rest)
        whens = [
            When(
                **{field: value},
                then=_points_case([rule for rule in rules if getattr(rule, field) in (value, "")], rest),
            )
            for value in named
        ]
        default = _points_case([rule for rule in rules if not getattr(rule, field)], rest)
        return Case(*whens, default=default, output_field=IntegerField())
    whens, default = [], Value(0)
    for rule in rules:  # the level and result match here: only "from hours" is left to compare
        tenths = Value(int(rule.points * 10))
        if not rule.min_hours:  # a catch-all: nothing after it can match
            default = tenths
            break
        whens.append(When(hours__gte=rule.min_hours, then=tenths))
    return Case(*whens, default=default, output_field=IntegerField()) if whens else default


def rules_by_item(rules: list[ScoringRule]) -> dict[str, list[ScoringRule]]:
    """{item: its rules, in the given order} (`rules` ordered by item, as `ordered_rules()` gives them)."""
    return {item: list(group) for item, group in groupby(rules, key=lambda rule: rule.item)}


def level_rank_expression():
    """The rank of an entry's level under items 3.x (0 for other items or no level)."""
    by_level = Case(
        *[When(level=level, then=Value(rank)) for level, rank in LEVEL_RANK.items()], default=Value(0)
    )
    return Case(
        When(item__in=METHODOLOGICAL_ITEMS, then=by_level), default=Value(0), output_field=IntegerField()
    )


def entry_points(rules: list[ScoringRule], *, item, level, result, hours) -> Decimal:
    """Points of one entry under `ordered_rules()`; the Python twin of `item_points_expression`."""
    for rule in rules:
        if rule.matches(item=item, level=level, result=result, hours=hours):
            return rule.points
    return ZERO


def level_of_rank(rank: int) -> str:
    for level, value in LEVEL_RANK.items():
        if value == rank:
            return level
    return ""


def criteria_by_outcome(organization=None) -> dict:
    return {c.outcome: c for c in kindergarten_table(RecommendationCriterion, organization)}


def recommend(*, category, total: Decimal, top_level: str, criteria: dict) -> tuple[str, list[dict]]:
    """The best outcome whose criteria the teacher meets ("" if none), and each criterion checked."""
    checked = []
    recommendation = ""
    top_rank = LEVEL_RANK.get(top_level, 0)
    for outcome in OUTCOMES_FOR_CATEGORY.get(category, ()):
        criterion = criteria.get(outcome)
        if criterion is None:
            continue
        total_met = total >= criterion.min_total
        level_met = not criterion.min_level or top_rank >= LEVEL_RANK[criterion.min_level]
        checked.append(
            {
                "outcome": str(outcome),
                "min_total": str(criterion.min_total),
                "min_level": criterion.min_level,
                "total_met": total_met,
                "level_met": level_met,
            }
        )
        if total_met and level_met and not recommendation:
            recommendation = str(outcome)
    return recommendation, checked


def competition_ranks(totals: list[Decimal]) -> list[int]:
    """Ranks of totals given best first: equal totals share a rank, the next rank skips (1, 1, 3)."""
    ranks = []
    for position, total in enumerate(totals, start=1):
        if ranks and total == totals[position - 2]:
            ranks.append(ranks[-1])
        else:
            ranks.append(position)
    return ranks


def rating_recommend(lines, *, criteria: dict) -> list:
    """Set each rating line's `recommendation` and `criteria` (each criterion checked) from its
    category, total and top level; returns the lines.

    The result depends only on the category, the top level and which minimum totals the total
    reaches, so lines alike share one (a city's thousands of lines have a few dozen); the shared
    `criteria` lists are not to be changed in place.
    """
    minimums = sorted({criterion.min_total for criterion in criteria.values()})
    checked = {}
    for line in lines:
        key = (line.category, line.top_level_3, bisect_right(minimums, line.total))
        if key not in checked:
            checked[key] = recommend(
                category=line.category, total=line.total, top_level=line.top_level_3, criteria=criteria
            )
        line.recommendation, line.criteria = checked[key]
    return lines


def rating_rank(lines) -> list:
    """The rating lines best first (equal totals by name), each with its `rank` among all and its
    `category_rank` among the holders of its category (competition ranks, see `competition_ranks`)."""
    ranked = sorted(lines, key=lambda line: (-line.total, line.teacher_name))
    for line, rank in zip(ranked, competition_ranks([line.total for line in ranked]), strict=True):
        line.rank = rank
    by_category = defaultdict(list)
    for line in ranked:
        by_category[line.category].append(line)
    for group in by_category.values():
        for line, rank in zip(group, competition_ranks([line.total for line in group]), strict=True):
            line.category_rank = rank
    return ranked
