"""One mechanism for every xlsx import (staff, the month's plan): one result type, one dry-run page in
the admin, one management command. The reading itself is `xlsx_in.read_table`; each app's
service checks its own rows and returns an `ImportResult`.

An import is all or nothing: the service checks every row, and writes only when none has an error.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindergarten_portal.sheets.xlsx_in import XLSX_ACCEPT, ImportIssue
from kindergarten_portal.sheets.xlsx_out import xlsx_response
from kindergarten_portal.tenancy import KindergartenCommand, office_kindergarten

MAX_ISSUES = 200  # errors listed; the rest are only counted

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
# What the office reads beside each row (the admin's preview and the commands' lines).
ACTION_LABELS = {
    CREATE: gettext_lazy("create"),
    UPDATE: gettext_lazy("update"),
    UNCHANGED: gettext_lazy("unchanged"),
}


@dataclass
class ImportRow:
    """One record the file names: what it is (`label`), what happens to it (`action`), which of its
    columns change (`changed`, as the file names them) and anything else worth a line (`notes`)."""

    row: int
    action: str  # CREATE | UPDATE | UNCHANGED
    label: str
    values: dict | None = None
    obj: object = None  # the stored record it updates, if any
    changed: list = field(default_factory=list)  # keys
    changed_labels: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def action_label(self):
        return ACTION_LABELS[self.action]


@dataclass
class ImportResult:
    """What an import found and did. `errors` holds the first MAX_ISSUES problems, `errors_more`
    counts the rest; `notes` say what the whole file means (columns ignored, defaults taken)."""

    dry_run: bool = True
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    errors_more: int = 0
    notes: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    written: bool = False

    @property
    def ok(self):
        return not self.errors

    @property
    def error_count(self):
        return len(self.errors) + self.errors_more

    def error(self, row, column, message, sheet=""):
        self.add(ImportIssue(row, column, message, sheet))

    def add(self, issue):
        if len(self.errors) < MAX_ISSUES:
            self.errors.append(issue)
        else:
            self.errors_more += 1

    def ignore(self, headers, sheet=""):
        """Headers no column takes: listed on the dry run, so a misnamed column is never dropped unseen."""
        for header in headers:
            self.ignored_columns.append(f"{sheet}: {header}" if sheet else header)

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def created(self):
        return self.count(CREATE)

    @property
    def updated(self):
        return self.count(UPDATE)

    @property
    def unchanged(self):
        return self.count(UNCHANGED)

    def summary(self) -> str:
        if self.dry_run:
            message = _(
                "Dry run, nothing written: would create %(created)d, update %(updated)d; %(unchanged)d unchanged."
            )
        else:
            message = _("Created %(created)d, updated %(updated)d; %(unchanged)d unchanged.")
        return message % {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
    )


class ImportCommand(KindergartenCommand):
    """`manage.py import_… FILE.xlsx [--dry-run] [--organization SLUG]`: all rows or none, into the
    kindergarten named (ours by default); exits non-zero on errors.

    Subclasses name the service (`importer`, called with file=, dry_run= and organization=).
    """

    importer = None

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, file, dry_run, kindergarten, **options):
        try:
            handle = open(file, "rb")
        except OSError as exc:
            raise CommandError(_("Cannot open %(file)s: %(error)s") % {"file": file, "error": exc}) from exc
        with handle:
            result = type(self).importer(file=handle, dry_run=dry_run, organization=kindergarten)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.errors_more:
                self.stderr.write(more_errors(result.errors_more))
            raise CommandError(_("Nothing was imported: %(count)d error(s).") % {"count": result.error_count})
        for note in result.notes:
            self.stdout.write(str(note))
        if result.ignored_columns:
            self.stdout.write(ignored_text(result.ignored_columns))
        for row in result.rows:
            if row.action != UNCHANGED:
                self.stdout.write(f"{row.row}: {row.action_label} {row.label}")
        self.stdout.write(result.summary())


def more_errors(count) -> str:
    return _("…and %(count)d more error(s), not listed.") % {"count": count}


def ignored_text(headers) -> str:
    return _("Columns not imported (the portal does not know them): %(columns)s.") % {
        "columns": ", ".join(f"«{h}»" for h in headers)
    }


class ImportAdminMixin:
    """An admin's «import from Excel» page (dry run or import, errors by row and column, a preview)
    and its template download, at `import/` and `import/template/` of the model's admin.

    The admin names `import_service` (file=, dry_run=, organization= → ImportResult), `import_template`
    (→ xlsx bytes), `import_template_filename`, `import_title` and `import_page` (a template that
    extends admin/import_base.html and says what the file should hold).
    """

    import_service = None
    import_template = None
    import_template_filename = "import-template.xlsx"
    import_title = ""
    import_page = "admin/import_base.html"

    def _import_url_name(self, suffix):
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_{suffix}"

    def get_urls(self):
        own = [
            path(
                "import/", self.admin_site.admin_view(self.import_view), name=self._import_url_name("import")
            ),
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name=self._import_url_name("import_template"),
            ),
        ]
        return own + super().get_urls()

    def import_template_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return xlsx_response(type(self).import_template(), self.import_template_filename)

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        result = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = type(self).import_service(
                file=form.cleaned_data["file"],
                dry_run="apply" not in request.POST,
                organization=office_kindergarten(request.user),
            )
            if result.written:
                messages.success(
                    request,
                    _("Import done: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                    % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
                )
            elif result.errors:
                messages.error(
                    request, _("Nothing was imported: fix the errors below and upload the file again.")
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": self.import_title,
            "form": form,
            "result": result,
            "errors_more": more_errors(result.errors_more) if result and result.errors_more else "",
            "ignored": ignored_text(result.ignored_columns) if result and result.ignored_columns else "",
            "template_url": reverse(f"admin:{self._import_url_name('import_template')}"),
        }
        return render(request, self.import_page, context)
