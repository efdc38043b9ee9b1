from django import forms
from django.utils.translation import gettext as _


class StageDatesForm(forms.Form):
    """The start and end of every stage of an election, local dates in its time zone."""

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = list(stages)
        for stage in self.stages:
            widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            # Built per request, so the labels are translated now (gettext, not lazy).
            self.fields[f"{stage.code}-mulai"] = forms.DateField(label=_("%(stage)s: mulai") % {"stage": stage.name}, initial=stage.starts_on, widget=widget)
            self.fields[f"{stage.code}-selesai"] = forms.DateField(label=_("%(stage)s: selesai") % {"stage": stage.name}, initial=stage.ends_on, widget=widget)

    def clean(self):
        data = super().clean()
        for stage in self.stages:
            start, end = data.get(f"{stage.code}-mulai"), data.get(f"{stage.code}-selesai")
            if start and end and end < start:
                self.add_error(f"{stage.code}-selesai", _("Tanggal selesai harus sama dengan atau sesudah tanggal mulai."))
        return data

    def dates(self) -> dict:
        return {stage.code: (self.cleaned_data[f"{stage.code}-mulai"], self.cleaned_data[f"{stage.code}-selesai"]) for stage in self.stages}

    def rows(self):
        """(stage, start field, end field) for the template."""
        return [(stage, self[f"{stage.code}-mulai"], self[f"{stage.code}-selesai"]) for stage in self.stages]
