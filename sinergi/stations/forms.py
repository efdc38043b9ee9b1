from django import forms
from django.utils.translation import gettext_lazy as _


class StationImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas TPS (.xlsx atau .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Gunakan berkas .xlsx atau .csv."))
        return upload
