from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Agency, User


class BroadcastForm(forms.Form):
    """A broadcast: where (an area within the sender's), to whom (agency kind, role), what."""

    area = forms.ChoiceField(label=_("Wilayah"))
    agency_kind = forms.ChoiceField(label=_("Jenis lembaga penerima"))
    role = forms.ChoiceField(label=_("Peran penerima"), required=False)
    title = forms.CharField(label=_("Judul"), max_length=150)
    body = forms.CharField(label=_("Isi pesan"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, regions=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(r.code, f"{r.get_kind_display()} {r.name}") for r in regions]
        labels = dict(Agency.Kind.choices)
        self.fields["agency_kind"].choices = [(kind, labels.get(kind, kind)) for kind in kinds]
        self.fields["role"].choices = [("", _("(semua peran)"))] + list(User.Role.choices)


class NudgeForm(forms.Form):
    """The coverage board's nudge: which stage, reported by what time (local, voting day)."""

    stage = forms.ChoiceField(label=_("Tahap"))
    time = forms.TimeField(label=_("Belum melapor sampai pukul"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = list(stages)
