import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.shortcuts import render
from django.template.defaultfilters import date as date_filter
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from kindergarten_portal.admin_messages import FEMININE, MASCULINE, NEUTER, AgreeingMessagesMixin
from kindergarten_portal.lists.admin_lists import LongListMixin, RelatedSearchMixin
from kindergarten_portal.sheets.imports import ImportAdminMixin
from kindergarten_portal.sheets.xlsx_out import xlsx_response
from kindergarten_portal.tenancy import KindergartenRecordMixin, kindergarten_of

from .dates import add_months
from .exports import attestation_calendar_workbook, staff_workbook
from .forms import EmployeeAdminForm, TrainingAdminForm
from .importing import staff_import, staff_import_template
from .models import (
    BASE_CATEGORIES,
    TITLE_CATEGORIES,
    Category,
    CategoryDecision,
    ConformityDecision,
    Employee,
    KindergartenGroup,
    Leave,
    Mentorship,
    Training,
    category_group_label,
)
from .selectors import (
    DueKind,
    attestation_calendar,
    attestation_calendar_page,
    attestation_state,
    employees_with_dues,
    filter_attestation_due_within,
    filter_course_due_within,
)
from .services import accounts_create_for_teachers, employee_email_sync

CALENDAR_PAGE_SIZE = 50  # dues per page of the attestation calendar
CALENDAR_EXEMPT_SHOWN = 20  # the exempt listed under it (the workbook has them all)

DUE_CHOICES = (
    ("overdue", _("already due")),
    ("3", _("within 3 months")),
    ("6", _("within 6 months")),
    ("12", _("within 12 months")),
)


def _due_until(value):
    today = timezone.localdate()
    if value == "overdue":
        return today
    if value in {"3", "6", "12"}:
        return add_months(today, int(value))
    return None


class EmploymentFilter(admin.SimpleListFilter):
    title = _("employment")
    parameter_name = "employment"

    def lookups(self, request, model_admin):
        return (("dismissed", _("dismissed")), ("all", _("all, with dismissed")))

    def choices(self, changelist):
        # "Current" is the default: dismissed staff stay in history but leave the everyday list.
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("current"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        if self.value() == "dismissed":
            return queryset.exclude(pk__in=Employee.objects.current().values("pk"))
        return queryset.current()


class CategoryFilter(admin.SimpleListFilter):
    title = _("qualification category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return [
            (c.value, category_group_label(c))
            for c in (*BASE_CATEGORIES[:1], *TITLE_CATEGORIES, *BASE_CATEGORIES[1:])
        ]

    def queryset(self, request, queryset):
        if self.value() in TITLE_CATEGORIES:
            return queryset.filter(category_group_now=self.value())
        if self.value():
            return queryset.filter(category_now=self.value())
        return queryset


class AttestationDueFilter(admin.SimpleListFilter):
    title = _("attestation due")
    parameter_name = "attestation_due"

    def lookups(self, request, model_admin):
        return DUE_CHOICES

    def queryset(self, request, queryset):
        until = _due_until(self.value())
        return filter_attestation_due_within(queryset, until=until) if until else queryset


class CourseDueFilter(admin.SimpleListFilter):
    title = _("course training due")
    parameter_name = "course_due"

    def lookups(self, request, model_admin):
        return DUE_CHOICES

    def queryset(self, request, queryset):
        until = _due_until(self.value())
        return filter_course_due_within(queryset, until=until) if until else queryset


class CategoryDecisionInline(admin.TabularInline):
    model = CategoryDecision
    extra = 0
    fields = ["category", "decision_date", "order_number", "valid_until"]


class ConformityDecisionInline(admin.TabularInline):
    model = ConformityDecision
    extra = 0
    fields = ["decision_date", "order_number", "result"]


class LeaveInline(admin.TabularInline):
    model = Leave
    extra = 0
    fields = ["kind", "start_date", "end_date"]


class ScanLinkMixin:
    """Someone who may only view (the head) sees the scan as a link to the access-checked view; the
    admin would link its MEDIA_URL, which is never served."""

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        swap = {"scan": "scan_link"}
        return [
            tuple(swap.get(name, name) for name in field)
            if isinstance(field, tuple)
            else swap.get(field, field)
            for field in fields
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if self.has_change_permission(request, obj) else [*readonly, "scan_link"]

    @admin.display(description=_("scan"))
    def scan_link(self, obj):
        if not (obj and obj.scan):
            return "—"
        url = reverse("staff:training_scan", args=[obj.pk])
        return format_html('<a href="{}" target="_blank">{}</a>', url, _("certificate scan"))


class TrainingInline(ScanLinkMixin, admin.StackedInline):
    model = Training
    form = TrainingAdminForm
    extra = 0
    fields = [
        ("kind", "hours"),
        "on_fgos",
        "programme",
        "provider",
        ("start_date", "end_date"),
        ("certificate_number", "scan"),
    ]


class MenteeInline(admin.TabularInline):
    model = Mentorship
    fk_name = "mentor"
    extra = 0
    verbose_name = _("mentee")
    verbose_name_plural = _("she mentors")
    autocomplete_fields = ["mentee"]


class MentorInline(admin.TabularInline):
    model = Mentorship
    fk_name = "mentee"
    extra = 0
    verbose_name = _("mentor")
    verbose_name_plural = _("her mentors")
    autocomplete_fields = ["mentor"]


@admin.register(Employee)
class EmployeeAdmin(
    KindergartenRecordMixin, AgreeingMessagesMixin, LongListMixin, ImportAdminMixin, admin.ModelAdmin
):
    gender = MASCULINE
    counted = ngettext_lazy("%(count)d employee", "%(count)d employees", "count")
    import_service = staticmethod(staff_import)
    import_template = staticmethod(staff_import_template)
    import_template_filename = "staff-import-template.xlsx"
    import_title = _("Import staff from Excel")
    import_page = "admin/staff/employee/import.html"
    form = EmployeeAdminForm
    change_list_template = "admin/staff/employee/change_list.html"
    list_display = [
        "name_column",
        "position",
        "category_column",
        "experience_column",
        "young_column",
        "attestation_due_column",
        "course_due_column",
    ]
    list_filter = [
        EmploymentFilter,
        CategoryFilter,
        "position",
        "groups",
        AttestationDueFilter,
        CourseDueFilter,
    ]
    search_fields = ["surname", "name", "patronymic", "email", "phone"]
    inlines = [
        CategoryDecisionInline,
        ConformityDecisionInline,
        LeaveInline,
        TrainingInline,
        MentorInline,
        MenteeInline,
    ]
    filter_horizontal = ["groups"]
    autocomplete_fields = ["user"]
    readonly_fields = ["attestation_state_field"]
    actions = ["export_xlsx", "create_accounts"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("surname", "name", "patronymic"),
                    "sex",
                    "birth_date",
                    "position",
                    "groups",
                    "user",
                ]
            },
        ),
        (
            _("Education"),
            {
                "fields": [
                    ("education_level", "education_pedagogical"),
                    "education_institution",
                    ("education_year", "education_speciality"),
                ]
            },
        ),
        (_("Experience and employment"), {"fields": ["experience_start", ("hire_date", "dismissal_date")]}),
        (_("Attestation"), {"fields": ["attestation_state_field"]}),
        (_("Contacts"), {"fields": [("phone", "email"), "photo"]}),
    ]

    def get_queryset(self, request):
        # Conformity and leaves: the attestation column of a teacher without a category.
        return employees_with_dues(super().get_queryset(request)).prefetch_related(
            "conformity_decisions", "leaves"
        )

    def get_search_results(self, request, queryset, search_term):
        """Names are found whether typed with ё or е (Артёмовна, Артемовна)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip().replace("ё", "е").replace("Ё", "Е")
        if term:
            folded = {
                f"{name}_folded": Replace(Replace(F(name), Value("ё"), Value("е")), Value("Ё"), Value("Е"))
                for name in ("surname", "name", "patronymic")
            }
            words = Q()
            for word in term.split():
                words &= (
                    Q(surname_folded__icontains=word)
                    | Q(name_folded__icontains=word)
                    | Q(patronymic_folded__icontains=word)
                )
            matches = self.model.objects.annotate(**folded).filter(words).values("pk")
            queryset = queryset | self.get_queryset(request).filter(pk__in=matches)
        return queryset, may_have_duplicates

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        employee_email_sync(employee=obj)

    @admin.display(description=_("full name"), ordering="surname")
    def name_column(self, obj):
        return obj.full_name

    @admin.display(description=_("category"), ordering="category_now")
    def category_column(self, obj):
        label = str(Category(obj.category_now).label)
        titles = ", ".join(str(d.get_category_display()) for d in obj.current_titles)
        return f"{label} ({titles})" if titles else label

    @admin.display(description=_("experience"), ordering="-experience_start")
    def experience_column(self, obj):
        years, months = obj.experience_on()
        return _("%(years)d y. %(months)d m.") % {"years": years, "months": months}

    @admin.display(description=_("young teacher"))
    def young_column(self, obj):
        return _("yes") if obj.is_young_teacher else ""

    def _state(self, obj):
        """Her attestation state today, computed once per row (the list reads it in two columns)."""
        state = getattr(obj, "_attestation_state", None)
        if state is None:
            state = obj._attestation_state = attestation_state(obj, on=timezone.localdate())
        return state

    @admin.display(description=_("attestation due"), ordering="attestation_due_on")
    def attestation_due_column(self, obj):
        return self._state(obj).attestation_text

    @admin.display(description=_("attestation"))
    def attestation_state_field(self, obj):
        """The change form's own account of her attestation: category, what is due and by when."""
        if obj is None or obj.pk is None:
            return "—"
        state = self._state(obj)
        lines = [state.category_text]
        for due in state.dues:
            if due.kind == DueKind.EXEMPT:
                lines.append(f"{due.kind_display}: {due.rule}")
                continue
            text = _("%(what)s: %(date)s") % {"what": due.kind_display, "date": date_filter(due.action_date)}
            if due.overdue:
                text = _("%(due)s, overdue") % {"due": text}
            lines.append(f"{text} — {due.reason}; {due.rule}")
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    @admin.display(description=_("course training due"), ordering="last_course_end")
    def course_due_column(self, obj):
        course = self._state(obj).course
        if course is None:
            return "—"
        if course.overdue:
            return _("%(due)s, overdue") % {"due": date_filter(course.date)}
        return date_filter(course.date)

    @admin.action(description=_("Export selected staff to Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        content = staff_workbook(
            queryset.order_by("surname", "name", "patronymic"), kindergarten=kindergarten_of(request.user)
        )
        stamp = timezone.localdate().strftime("%Y-%m-%d")
        return xlsx_response(content, f"staff-{stamp}.xlsx")

    @admin.action(
        description=_("Create sign-in accounts and e-mail a link to set the password"), permissions=["change"]
    )
    def create_accounts(self, request, queryset):
        result = accounts_create_for_teachers(employees=queryset.select_related("user"), request=request)
        if result.created:
            messages.success(
                request,
                ngettext(
                    "%(count)d account created: %(names)s.",
                    "%(count)d accounts created: %(names)s.",
                    len(result.created),
                )
                % {
                    "count": len(result.created),
                    "names": ", ".join(f"{e.short_name} ({username})" for e, username in result.created),
                },
            )
        if result.linked:
            messages.success(
                request,
                ngettext(
                    "%(count)d account of a teacher who moved here linked (her login and password stay): "
                    "%(names)s.",
                    "%(count)d accounts of teachers who moved here linked (their logins and passwords stay): "
                    "%(names)s.",
                    len(result.linked),
                )
                % {
                    "count": len(result.linked),
                    "names": ", ".join(f"{e.short_name} ({username})" for e, username in result.linked),
                },
            )
        for employee, reason in result.skipped:
            messages.warning(request, f"{employee.short_name}: {reason}")

    def get_urls(self):
        own = [
            path(
                "attestation-calendar/",
                self.admin_site.admin_view(self.calendar_view),
                name="staff_employee_attestation_calendar",
            ),
            path(
                "attestation-calendar/xlsx/",
                self.admin_site.admin_view(self.calendar_xlsx_view),
                name="staff_employee_attestation_calendar_xlsx",
            ),
        ]
        return own + super().get_urls()

    def _calendar_month(self, request):
        """The month asked for ("2027-03") as its first day, or None."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            return datetime.date.fromisoformat(request.GET.get("month", "") + "-01")
        except ValueError:
            return None

    def _calendar_rows(self, request):
        """The calendar's dues, and the month asked for or None."""
        month = self._calendar_month(request)
        return attestation_calendar(on=timezone.localdate(), month=month), month

    def calendar_view(self, request):
        # A page of rows at a time: a city network's staff owe thousands (the workbook has them all).
        month = self._calendar_month(request)
        today = timezone.localdate()
        calendar = attestation_calendar_page(
            on=today,
            month=month,
            page_number=request.GET.get("page"),
            per_page=CALENDAR_PAGE_SIZE,
            exempt_shown=CALENDAR_EXEMPT_SHOWN,
        )
        page = calendar.page
        months = [add_months(today.replace(day=1), n) for n in range(13)]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Attestation calendar"),
            "rows": calendar.rows,
            "exempt": calendar.exempt,
            "exempt_total": calendar.exempt_total,
            "page_obj": page,
            "page_numbers": list(
                page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            ),
            "page_query": f"month={month:%Y-%m}&" if month else "",
            "months": months,
            "month": month,
            "today": today,
        }
        return render(request, "admin/staff/employee/attestation_calendar.html", context)

    def calendar_xlsx_view(self, request):
        rows, month = self._calendar_rows(request)
        stamp = (month or timezone.localdate()).strftime("%Y-%m" if month else "%Y-%m-%d")
        content = attestation_calendar_workbook(rows, kindergarten=kindergarten_of(request.user))
        return xlsx_response(content, f"attestation-calendar-{stamp}.xlsx")


@admin.register(KindergartenGroup)
class KindergartenGroupAdmin(KindergartenRecordMixin, AgreeingMessagesMixin, LongListMixin, admin.ModelAdmin):
    gender = FEMININE
    counted = ngettext_lazy("%(count)d kindergarten group", "%(count)d kindergarten groups", "count")
    list_display = ["name", "age_band", "orientation", "pupils"]
    list_filter = ["orientation"]
    search_fields = ["name"]


@admin.register(Training)
class TrainingAdmin(
    AgreeingMessagesMixin, LongListMixin, RelatedSearchMixin, ScanLinkMixin, admin.ModelAdmin
):
    gender = NEUTER
    counted = ngettext_lazy("%(count)d training record", "%(count)d training records", "count")
    form = TrainingAdminForm
    list_display = ["programme", "employee", "kind", "hours", "end_date"]
    list_filter = ["kind", "on_fgos"]
    search_fields = ["programme", "provider", "employee__surname"]
    list_select_related = ["employee"]
    date_hierarchy = "end_date"
    autocomplete_fields = ["employee"]
