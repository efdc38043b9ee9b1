from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.cases import workflow
from sinergi.cases.models import Case
from sinergi.core.forms import MarksRequired

WITNESS_ROWS = 3


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files from one input; each is checked by the service (type, size)."""

    widget = MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(EvidenceField, self).clean(item, initial) for item in files]


class CaseFactsForm(MarksRequired, forms.Form):
    """The facts of Model B.1, shared by the public report and the finding form."""

    reported_party = forms.CharField(label=_("Terlapor (nama, jabatan, alamat bila diketahui)"), max_length=300, required=False)
    occurred_on = forms.DateField(label=_("Tanggal kejadian"), widget=forms.DateInput(attrs={"type": "date"}))
    known_on = forms.DateField(label=_("Tanggal diketahui"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Batas waktu melapor dihitung dari tanggal ini."))
    occurred_place = forms.CharField(label=_("Tempat kejadian (TPS, alamat)"), max_length=300)
    region = forms.ChoiceField(label=_("Desa/kelurahan tempat kejadian"))
    description = forms.CharField(label=_("Uraian kejadian (kronologi)"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6}))
    evidence = EvidenceField(label=_("Bukti (PDF, JPEG atau PNG; paling besar 10 MB per berkas)"), required=False)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—")] + [(v.code, f"{v.name} ({v.parent.name})") for v in villages]
        for n in range(1, WITNESS_ROWS + 1):
            self.fields[f"witness{n}_name"] = forms.CharField(label=_("Nama saksi %(n)s") % {"n": n}, max_length=120, required=False)
            self.fields[f"witness{n}_address"] = forms.CharField(label=_("Alamat saksi %(n)s") % {"n": n}, max_length=300, required=False)

    def witnesses(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"nama": data[f"witness{n}_name"], "alamat": data[f"witness{n}_address"]}
            for n in range(1, WITNESS_ROWS + 1)
            if data.get(f"witness{n}_name") or data.get(f"witness{n}_address")
        ]

    def facts(self) -> dict:
        data = self.cleaned_data
        keys = ("reported_party", "occurred_on", "known_on", "occurred_place", "description")
        return {**{key: data[key] for key in keys}, "witnesses": self.witnesses()}


class PublicReportForm(CaseFactsForm):
    source = forms.ChoiceField(
        label=_("Anda melapor sebagai"), choices=[("", "—")] + [(c.value, c.label) for c in (Case.Source.VOTER, Case.Source.MONITOR, Case.Source.PARTICIPANT)]
    )
    reporter_name = forms.CharField(label=_("Nama lengkap"), max_length=120)
    reporter_address = forms.CharField(label=_("Alamat"), max_length=300)
    reporter_phone = forms.CharField(label=_("Nomor telepon/WhatsApp"), max_length=20, required=False)
    reporter_email = forms.EmailField(label=_("Surel"), required=False)
    field_order = ["source", "reporter_name", "reporter_address", "reporter_phone", "reporter_email"]

    def facts(self) -> dict:
        data = self.cleaned_data
        return {**super().facts(), **{key: data[key] for key in ("reporter_name", "reporter_address", "reporter_phone", "reporter_email")}}


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Kode pelacakan"), max_length=40, widget=forms.TextInput(attrs={"placeholder": "LP-XXXX-XXXX", "autocapitalize": "characters"}))


class StepForm(forms.Form):
    action = forms.ChoiceField(choices=[(code, a.label) for code, a in workflow.ACTIONS.items()], widget=forms.HiddenInput)
    note = forms.CharField(label=_("Catatan"), max_length=8000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("Putusan"), choices=[("", "—"), *Case.Outcome.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in workflow.CHECKLIST:
            self.fields[f"check_{code}"] = forms.BooleanField(label=label, required=False)

    def checklist(self) -> dict[str, bool]:
        return {code: self.cleaned_data.get(f"check_{code}", False) for code, _label in workflow.CHECKLIST}


class EvidenceForm(forms.Form):
    evidence = EvidenceField(label=_("Tambah bukti"))


class DayOffForm(forms.Form):
    day = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Alasan (nomor keputusan)"), max_length=200)
    region = forms.ChoiceField(label=_("Berlaku untuk"))

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, f"{r.name} ({r.code})") for r in regions]

