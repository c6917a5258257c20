from django import forms
from django.utils.translation import gettext_lazy as _

from portfolios.models import ReportItem

from .models import AcademicYear


class BuildForm(forms.Form):
    academic_year = forms.ModelChoiceField(
        label=_("Academic year"), queryset=AcademicYear.objects.all(), empty_label=None
    )


class SelfReportForm(forms.Form):
    """A comment per self-report item and the closing reflection."""

    reflection = forms.CharField(
        label=_("Closing reflection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What went well this year, what you would do differently, your plans. Needed to submit."),
    )

    def __init__(self, *args, report, **kwargs):
        initial = {
            f"comment_{item.value}": (report.comments or {}).get(item.value, "") for item in ReportItem
        }
        initial["reflection"] = report.reflection
        super().__init__(*args, initial=initial, **kwargs)
        reflection = self.fields.pop("reflection")
        for item in ReportItem:
            self.fields[f"comment_{item.value}"] = forms.CharField(
                label=_("Comment on %(item)s") % {"item": item.label},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
        self.fields["reflection"] = reflection

    def comments(self):
        return {item.value: self.cleaned_data.get(f"comment_{item.value}", "") for item in ReportItem}

    def comment_field(self, item):
        return self[f"comment_{item}"]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return to the teacher"))]
    )
    comment = forms.CharField(
        label=_("Comment for the teacher"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when returning: say what to change."),
    )
