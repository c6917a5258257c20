from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from events.selectors import personal_data_operator
from kindergarten_portal.typography import inner_quotes
from staff.images import uploads_budget_check

from .files import ACCEPT, evidence_check
from .models import MINISITE_CONSENT_VERSION, MiniSite, PortfolioEntry, entry_date_bounds
from .services import ENTRY_FIELDS, evidence_duplicate_of


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django docs, "Uploading multiple files")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class EntryForm(forms.ModelForm):
    """An entry and any new evidence files; every file is checked by content before anything is saved.

    A file the teacher has uploaded before (same content hash) is flagged and kept out until she
    ticks "upload it again".
    """

    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("Photos or scans: JPEG, PNG or PDF. You can choose several files."),
    )
    # Shown only once a duplicate has been found (see clean()).
    confirm_duplicate = forms.BooleanField(
        label=_("Upload it again: I know this file is already in my portfolio"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = PortfolioEntry
        fields = ENTRY_FIELDS
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "title": forms.TextInput(),
        }

    def field_errors(self):
        """(field, message) for every error tied to a field, for the summary at the top of the form
        (an upload refused at the bottom of a long form on a phone is easy to miss)."""
        return [
            (self[name], message)
            for name, messages in self.errors.items()
            if name in self.fields
            for message in messages
        ]

    def __init__(self, *args, teacher, **kwargs):
        super().__init__(*args, **kwargs)
        self.teacher = teacher
        earliest, latest = entry_date_bounds()
        self.fields["date"].widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())
        self.checked_files = []
        self.duplicates = []

    def full_clean(self):
        super().full_clean()
        if self.errors and self.files.get("files"):
            # The browser empties a file input when the page comes back with errors: say so by the input.
            # Set on the bound field too: cleaning has already built and cached it.
            self.fields["files"].help_text = self["files"].help_text = format_html(
                '<strong class="text-danger" data-test="choose-again">{}</strong> {}',
                _("Choose the file again: after an error the browser does not keep it."),
                self.fields["files"].help_text,
            )

    def clean_files(self):
        uploads = self.cleaned_data.get("files") or []
        uploads_budget_check(uploads)  # the whole request first, before any picture is decoded
        checked, errors = [], []
        for uploaded in uploads:
            try:
                checked.append(evidence_check(uploaded))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return checked

    def clean(self):
        cleaned = super().clean()
        seen = set()
        pairs = []
        for checked in cleaned.get("files") or []:
            if checked.sha256 in seen:
                continue  # the same file chosen twice in one go is stored once
            seen.add(checked.sha256)
            earlier = evidence_duplicate_of(teacher=self.teacher, sha256=checked.sha256)
            if earlier is not None:
                self.duplicates.append((checked, earlier))
            pairs.append((checked, earlier))
        if cleaned.get("confirm_duplicate") and not pairs and "files" not in self.errors:
            # The browser empties the file input when the warning page loads: ticking the box and
            # saving would store the entry without the file she meant to upload again.
            self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
            self.add_error(
                "files",
                _(
                    "Choose the file again: the browser does not keep a chosen file when the page "
                    "reloads. Keep «Upload it again» ticked and save."
                ),
            )
        if self.duplicates and not cleaned.get("confirm_duplicate"):
            self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
            for checked, earlier in self.duplicates:
                self.add_error(
                    "files",
                    _(
                        "«%(name)s» is already in your portfolio (entry «%(entry)s»). Tick "
                        "«Upload it again» below to save it anyway, or choose another file."
                    )
                    % {
                        "name": inner_quotes(checked.original_name),
                        "entry": inner_quotes(earlier.entry.title),
                    },
                )
        self.checked_files = pairs
        return cleaned


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the teacher correct?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class BulkReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    entries = forms.ModelMultipleChoiceField(queryset=PortfolioEntry.objects.none())
    action = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (RETURN, _("Return"))])
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = queryset
        self.fields["entries"].error_messages["required"] = _("Choose at least one entry.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.RETURN and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("Say what the teacher should correct."))
        return cleaned


_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    }
)  # fmt: skip


def suggested_slug(teacher) -> str:
    """ "antonova-anna" for Антонова Анна: an address to start from."""
    text = f"{teacher.surname} {teacher.name}".lower().translate(_TRANSLIT)
    return slugify(text) or f"teacher-{teacher.pk}"


class MiniSiteForm(forms.ModelForm):
    """What the teacher types about her mini-site and the parts she lets it show; `minisite_save`
    applies it and records her consent.

    `published` is a plain form field, not copied onto the instance: the model's rule (published
    only with a consent time) is checked by `minisite_save` once it has set that time.
    """

    published = MiniSite._meta.get_field("published").formfield()
    consent = forms.BooleanField(required=False)

    class Meta:
        model = MiniSite
        fields = ["slug", "about", "credo", *MiniSite.PARTS]
        widgets = {"about": forms.Textarea(attrs={"rows": 4}), "credo": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = self.instance
        self.fields["published"].initial = site.published
        # The consent to the current text, once given, shows ticked; unticking it withdraws it.
        self.fields["consent"].initial = bool(
            site.published and site.consent_at and site.consent_text_version == MINISITE_CONSENT_VERSION
        )
        self.fields["consent"].label = _(
            "I consent to %(operator)s (the operator) disseminating my personal data on a public page of "
            "its site: my name and position, and the parts I ticked above. Purpose: to show the "
            "kindergarten's teachers and their work to parents and colleagues. The consent is valid until "
            "I withdraw it; I can withdraw it here at any time, and the page is then taken down at once. "
            "(Consent text, version %(version)s.)"
        ) % {
            "operator": personal_data_operator(site.teacher.organization),
            "version": MINISITE_CONSENT_VERSION,
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("published") and not self.instance.published and not cleaned.get("consent"):
            self.add_error("consent", _("Publishing needs your consent to show this information publicly."))
        return cleaned
