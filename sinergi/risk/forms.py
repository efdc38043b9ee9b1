from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import PhotoField, TableFileField
from sinergi.risk.models import RiskRules, StationClass


class ChecklistForm(forms.Form):
    """One yes/no and note per indicator of the election, built from the catalogue."""

    reason = forms.CharField(label=_("Alasan perubahan (wajib setelah masa pengisian ditutup)"), required=False, max_length=300)
    evidence_code = forms.ChoiceField(label=_("Foto bukti untuk indikator"), required=False)
    evidence = PhotoField(label=_("Foto bukti (JPEG/PNG, paling besar 5 MB)"), required=False)

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.fields["evidence_code"].choices = [("", "—")] + [(r["indicator"].code, f"{r['indicator'].code} {r['indicator'].text[:60]}") for r in rows]
        for row in rows:
            code = row["indicator"].code
            self.fields[f"present_{code}"] = forms.BooleanField(required=False, initial=row["present"], label=row["indicator"].text)
            self.fields[f"note_{code}"] = forms.CharField(required=False, max_length=300, initial=row["note"], label=_("Catatan"))

    def clean(self):
        data = super().clean()
        if data.get("evidence") and not data.get("evidence_code"):
            self.add_error("evidence_code", _("Pilih indikator yang dibuktikan foto ini."))
        return data

    def answers(self) -> dict[str, tuple[bool, str]]:
        return {
            row["indicator"].code: (self.cleaned_data[f"present_{row['indicator'].code}"], self.cleaned_data[f"note_{row['indicator'].code}"].strip())
            for row in self.rows
        }

    def grouped(self):
        """(variable, [(indicator, present field, note field, stored answer or None)]) for the template."""
        groups = []
        for row in self.rows:
            indicator = row["indicator"]
            if not groups or groups[-1][0] != indicator.variable:
                groups.append((indicator.variable, []))
            groups[-1][1].append((indicator, self[f"present_{indicator.code}"], self[f"note_{indicator.code}"], row["answer"]))
        return groups


class ClassForm(forms.Form):
    level = forms.ChoiceField(label=_("Kelas"), choices=StationClass.Level.choices)
    reason = forms.CharField(label=_("Alasan (wajib bila berbeda dari saran)"), required=False, max_length=300)


class IntelNoteForm(forms.Form):
    text = forms.CharField(label=_("Catatan intelijen (hanya terlihat oleh kepolisian)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ChecklistUploadForm(forms.Form):
    file = TableFileField(label=_("Berkas daftar periksa (.xlsx atau .csv)"), too_big=_("Pecah per kecamatan."))


class ReleaseRulesForm(forms.ModelForm):
    class Meta:
        model = RiskRules
        fields = ["top_group_size", "middle_group_size"]


class ClassRulesForm(forms.ModelForm):
    severe_codes = forms.MultipleChoiceField(label=_("Indikator berat"), required=False, widget=forms.CheckboxSelectMultiple)
    special_codes = forms.MultipleChoiceField(label=_("Indikator lokasi khusus"), required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = RiskRules
        fields = ["severe_codes", "special_codes", "rawan_min_variables", "sangat_rawan_min_variables"]

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severe_codes"].choices = choices
        self.fields["special_codes"].choices = choices
