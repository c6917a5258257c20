"""The scoring table and recommendation criteria an office starts from; the senior educator edits them.

Higher level and better result earn more: levels count 1 (institutional) to 5 (international);
a competition's prize-winner earns twice and a winner three times a participant's points.
Loaded by the data migration, and again after a flush (tests) whenever a table is empty.
"""

from decimal import Decimal

LEVELS = ["institutional", "municipal", "regional", "federal", "international"]
RESULTS = {"participant": 1, "prize_winner": 2, "winner": 3}
PUPIL_RESULTS = {"participant": Decimal("1"), "prize_winner": Decimal("1.5"), "winner": Decimal("2")}


def default_rules():
    rules = [
        ("1.1", "", "", 0, Decimal("5")),
        ("1.2", "", "", 0, Decimal("5")),
        ("1.3", "", "", 0, Decimal("4")),
        ("1.4", "", "", 0, Decimal("1")),
        ("1.4", "", "", 36, Decimal("2")),
        ("1.4", "", "", 72, Decimal("3")),
    ]
    # item: (points without a level, points at the institutional level, step per level above)
    ladders = {
        "1.5": (Decimal("1"), Decimal("1"), Decimal("1")),
        "1.6": (Decimal("0.5"), Decimal("0.5"), Decimal("0.5")),
        "2": (Decimal("1"), Decimal("1"), Decimal("1")),
        "3.1": (Decimal("2"), Decimal("2"), Decimal("1")),
        "3.2": (Decimal("2"), Decimal("2"), Decimal("1")),
    }
    for item, (no_level, first, step) in ladders.items():
        rules.append((item, "", "", 0, no_level))
        for rank, level in enumerate(LEVELS):
            rules.append((item, level, "", 0, first + step * rank))
    for item, multipliers in (("3.3", RESULTS), ("4", PUPIL_RESULTS)):
        rules.append((item, "", "", 0, Decimal("1")))
        for rank, level in enumerate(LEVELS, start=1):
            rules.append((item, level, "", 0, Decimal(rank)))
            for result, multiplier in multipliers.items():
                rules.append((item, level, result, 0, Decimal(rank) * Decimal(multiplier)))
    return rules


CRITERIA = [
    ("confirm_first", Decimal("10"), "institutional"),
    ("raise_to_first", Decimal("15"), "municipal"),
    ("confirm_highest", Decimal("15"), "municipal"),
    ("raise_to_highest", Decimal("25"), "regional"),
]


def load_defaults(ScoringRule, RecommendationCriterion):
    """Fill an empty scoring table and empty criteria (the models may be historical ones)."""
    if not ScoringRule.objects.exists():
        ScoringRule.objects.bulk_create(
            [
                ScoringRule(item=item, level=level, result=result, min_hours=min_hours, points=points)
                for item, level, result, min_hours, points in default_rules()
            ]
        )
    if not RecommendationCriterion.objects.exists():
        RecommendationCriterion.objects.bulk_create(
            [
                RecommendationCriterion(outcome=outcome, min_total=min_total, min_level=min_level)
                for outcome, min_total, min_level in CRITERIA
            ]
        )
