"""What makes the admin's lists of long tables answer quickly (mixins for a ModelAdmin).

LongListMixin: a list whose table grows with the years: fifty rows a page (rendering is most of a
list's time: a hundred participations took twice as long), no count of the whole table, and a
search's matches counted only up to SEARCH_COUNT_CAP.

RelatedSearchMixin: search over a long table whose search fields cross a foreign key (`teacher__surname`).

Django's search joins the related table and filters the joined rows with OR: PostgreSQL must then
join every row of the long table before it can filter (150 000 participations: 370 ms). Here each
word is looked up in the related table first (a few thousand staff or events, one query per
relation and word) and the long table is filtered by the ids found, which its foreign-key index
answers: `teacher_id IN (…) OR UPPER(title) LIKE …`. The matches are the same as Django's: every
word must match one of the fields, case-insensitively.
"""

import datetime
from collections import defaultdict

from django.contrib.admin.views.main import SEARCH_VAR
from django.core.paginator import Paginator
from django.db.models import Max, Min, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal

SEARCH_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts the rows only up to `cap`: `SELECT COUNT(*) FROM (SELECT … LIMIT cap + 1)` stops at
    the match after the cap, where counting every match of a common word (37 000 of 300 000
    entries found by «Иванова») reads the whole table. Past the cap the list offers its first
    `cap` rows (`capped` is then true and the pager says «more than 1 000»): a search that finds
    more is refined, not paged through."""

    def __init__(self, *args, cap=SEARCH_COUNT_CAP, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self):
        # The matches' ids alone: neither the list's order nor its columns' subqueries are needed.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self):
        return min(self._counted, self.cap)

    @property
    def capped(self):
        return self._counted > self.cap


class LongListMixin:
    """A ModelAdmin over a table that grows with the years. Its filtered lists are not counted
    against the whole table (`show_full_result_count`), and a search's matches are counted up to
    SEARCH_COUNT_CAP (CappedPaginator). The admin's «select all» then reads «all found», and an
    action chosen for all of them acts on every match, not on the first thousand
    (templates/admin/actions.html)."""

    list_per_page = 50
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if request.GET.get(SEARCH_VAR, "").strip():
            return CappedPaginator(queryset, per_page, orphans, allow_empty_first_page)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)


class RelatedSearchMixin:
    def get_search_results(self, request, queryset, search_term):
        fields = self.get_search_fields(request)
        own, across = [], defaultdict(list)
        for name in fields:
            if name[:1] in "^=@":  # Django's prefixed lookups: left to Django
                return super().get_search_results(request, queryset, search_term)
            relation, _sep, rest = name.partition("__")
            if rest and self.model._meta.get_field(relation).many_to_one:
                across[relation].append(rest)
            else:
                own.append(name)
        if not across or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        for bit in smart_split(search_term):
            if bit[:1] in "\"'" and bit[-1:] == bit[:1]:
                bit = unescape_string_literal(bit)
            word = Q()
            for name in own:
                word |= Q(**{f"{name}__icontains": bit})
            for relation, related_fields in across.items():
                related = Q()
                for name in related_fields:
                    related |= Q(**{f"{name}__icontains": bit})
                model = self.model._meta.get_field(relation).related_model
                ids = list(model._base_manager.filter(related).order_by().values_list("pk", flat=True))
                word |= Q(**{f"{relation}__in": ids})
            queryset = queryset.filter(word)
        return queryset, False


class RangeYearsQuerySet(QuerySet):
    """The years of the date hierarchy read from the first and the last date (two index reads),
    instead of `SELECT DISTINCT DATE_TRUNC('year', …)` over every row (300 000 entries: 50-100 ms).
    Every year between them is offered, a year without rows included (its page is empty)."""

    def dates(self, field_name, kind, order="ASC"):
        if kind != "year":
            return super().dates(field_name, kind, order)
        bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None:
            return []
        years = [datetime.date(y, 1, 1) for y in range(bounds["first"].year, bounds["last"].year + 1)]
        return years if order == "ASC" else years[::-1]


class RangeYearsMixin:
    """A ModelAdmin with a `date_hierarchy` on a date field of a long table: see RangeYearsQuerySet."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return RangeYearsQuerySet(model=queryset.model, query=queryset.query, using=queryset.db)
