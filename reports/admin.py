import time

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from kindergarten_portal.admin_messages import FEMININE, MASCULINE, NEUTER, AgreeingMessagesMixin
from kindergarten_portal.lists.admin_lists import LongListMixin, RelatedSearchMixin
from kindergarten_portal.tenancy import office_kindergarten
from staff import academic

from .forms import BuildForm
from .models import (
    AcademicYear,
    RatingBuild,
    RatingRow,
    RecommendationCriterion,
    ScoringRule,
    SelfReport,
    SelfReportStatus,
)
from .services import academic_year_ensure, rating_build, self_report_accept


@admin.register(AcademicYear)
class AcademicYearAdmin(AgreeingMessagesMixin, admin.ModelAdmin):
    gender = MASCULINE
    counted = ngettext_lazy("%(count)d academic year", "%(count)d academic years", "count")
    list_display = ["label", "start", "end", "is_current"]
    fields = ["start_year", "notes"]
    actions = ["build_rating"]

    @admin.display(description=_("academic year"), ordering="start_year")
    def label(self, obj):
        return obj.label

    @admin.display(description=_("year starts"))
    def start(self, obj):
        return obj.start

    @admin.display(description=_("year ends"))
    def end(self, obj):
        return obj.end

    @admin.display(description=_("current year"), boolean=True)
    def is_current(self, obj):
        return obj.is_current

    @admin.action(description=_("Build the rating of the selected years"), permissions=["build"])
    def build_rating(self, request, queryset):
        for year in queryset:
            rating_build(year=year, by=request.user, organization=office_kindergarten(request.user))
        self.message_user(
            request,
            ngettext("Built %(count)d rating version.", "Built %(count)d rating versions.", queryset.count())
            % {"count": queryset.count()},
            messages.SUCCESS,
        )

    def has_build_permission(self, request):
        return request.user.has_perm("reports.add_ratingbuild")


@admin.register(ScoringRule)
class ScoringRuleAdmin(AgreeingMessagesMixin, admin.ModelAdmin):
    gender = NEUTER
    counted = ngettext_lazy("%(count)d scoring rule", "%(count)d scoring rules", "count")
    change_list_template = "admin/reports/scoringrule/change_list.html"
    list_display = ["item", "level", "result", "min_hours", "points"]
    list_editable = ["points"]
    list_filter = ["item", "level", "result"]
    list_per_page = 200
    fields = ["item", "level", "result", "min_hours", "points"]


@admin.register(RecommendationCriterion)
class RecommendationCriterionAdmin(AgreeingMessagesMixin, admin.ModelAdmin):
    gender = MASCULINE
    counted = ngettext_lazy(
        "%(count)d recommendation criterion", "%(count)d recommendation criteria", "count"
    )
    change_list_template = "admin/reports/recommendationcriterion/change_list.html"
    list_display = ["outcome", "min_total", "min_level"]
    list_editable = ["min_total", "min_level"]
    fields = ["outcome", "min_total", "min_level"]


RATING_ROWS_SHOWN = 50


class FirstRowsFormSet(BaseInlineFormSet):
    """The first RATING_ROWS_SHOWN rows by rank: a city's build has thousands; the workbook has all."""

    def get_queryset(self):
        if not hasattr(self, "_first_rows"):
            self._first_rows = super().get_queryset()[:RATING_ROWS_SHOWN]
        return self._first_rows


class RatingRowInline(admin.TabularInline):
    model = RatingRow
    formset = FirstRowsFormSet
    verbose_name_plural = _("rating rows (the first 50 by rank; the workbook has them all)")
    extra = 0
    can_delete = False
    fields = [
        "rank",
        "teacher_name",
        "category",
        "direction_1",
        "direction_2",
        "direction_3",
        "direction_4",
        "total",
        "recommendation",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RatingBuild)
class RatingBuildAdmin(AgreeingMessagesMixin, LongListMixin, admin.ModelAdmin):
    """Versions are built, never edited: the build page makes a new one; the head downloads."""

    gender = FEMININE
    counted = ngettext_lazy("%(count)d rating build", "%(count)d rating builds", "count")

    change_list_template = "admin/reports/ratingbuild/change_list.html"
    list_display = ["__str__", "academic_year", "built_at", "builder", "teachers_count", "download"]
    list_filter = ["academic_year"]
    list_select_related = ["academic_year", "built_by"]
    fields = ["academic_year", "built_at", "builder", "as_of", "teachers_count", "entries_count", "download"]
    readonly_fields = fields
    inlines = [RatingRowInline]

    @admin.display(description=_("built by"), ordering="built_by")
    def builder(self, obj):
        return obj.built_by_name

    @admin.display(description=_("workbook"))
    def download(self, obj):
        if not obj.workbook:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:build_workbook", args=[obj.pk]), _("Download (xlsx)")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The head must see the version that was discussed: versions are kept.
        return False

    def get_urls(self):
        return [
            path("build/", self.admin_site.admin_view(self.build_view), name="reports_ratingbuild_build"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_build": request.user.has_perm("reports.add_ratingbuild"),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def build_view(self, request):
        if not request.user.has_perm("reports.add_ratingbuild"):
            raise PermissionDenied
        current = academic_year_ensure(year=academic.AcademicYear.current())
        form = BuildForm(request.POST or None, initial={"academic_year": current})
        if request.method == "POST" and form.is_valid():
            # Built inside the request: a kindergarten's year (20-40 teachers) takes well under a
            # second; the time is shown so that a slow build is noticed.
            started = time.perf_counter()
            build = rating_build(
                year=form.cleaned_data["academic_year"],
                by=request.user,
                organization=office_kindergarten(request.user),
            )
            seconds = time.perf_counter() - started
            self.message_user(
                request,
                _(
                    "The rating of %(year)s is built in %(seconds)s s: teachers — %(teachers)d,"
                    " entries counted — %(entries)d."
                )
                % {
                    "year": build.academic_year,
                    "seconds": number_format(seconds, decimal_pos=2),
                    "teachers": build.teachers_count,
                    "entries": build.entries_count,
                },
                messages.SUCCESS,
            )
            return redirect("admin:reports_ratingbuild_change", build.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Build the rating"),
            "form": form,
            "latest": RatingBuild.objects.select_related("academic_year", "built_by").first(),
        }
        return render(request, "admin/reports/ratingbuild/build.html", context)


@admin.register(SelfReport)
class SelfReportAdmin(AgreeingMessagesMixin, LongListMixin, RelatedSearchMixin, admin.ModelAdmin):
    gender = MASCULINE
    counted = ngettext_lazy("%(count)d self-report", "%(count)d self-reports", "count")
    list_display = ["teacher", "academic_year", "status", "submitted_at", "reviewer", "open_link"]
    list_filter = ["status", "academic_year"]
    list_select_related = ["teacher", "academic_year", "reviewed_by"]
    search_fields = ["teacher__surname", "teacher__name"]
    fields = [
        "teacher",
        "academic_year",
        "status",
        "reflection",
        "submitted_at",
        "reviewed_at",
        "reviewer",
        "review_comment",
        "open_link",
    ]
    readonly_fields = fields
    actions = ["accept"]

    @admin.display(description=_("reviewed by"), ordering="reviewed_by")
    def reviewer(self, obj):
        return obj.reviewed_by_name

    @admin.display(description=_("self-report"))
    def open_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("reports:self_report", args=[obj.pk]), _("Open"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # An accepted report is the record of the year; a draft, submitted or returned one may go.
        if obj is not None and obj.status == SelfReportStatus.ACCEPTED:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # The bulk delete would not ask each report whether it is accepted.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Accept the selected submitted self-reports"), permissions=["change"])
    def accept(self, request, queryset):
        accepted = 0
        for report in queryset:
            try:
                self_report_accept(report=report, reviewer=request.user)
            except ValidationError:
                continue
            accepted += 1
        self.message_user(
            request,
            ngettext("Accepted %(count)d self-report.", "Accepted %(count)d self-reports.", accepted)
            % {"count": accepted},
            messages.SUCCESS if accepted else messages.WARNING,
        )
