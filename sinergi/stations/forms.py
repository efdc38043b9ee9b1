from django import forms
from django.utils.translation import gettext_lazy as _

# A district's TPS file is tens of kilobytes; a national one as CSV is about 100 MB and belongs on
# the command line.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class StationImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas TPS (.xlsx atau .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Gunakan berkas .xlsx atau .csv."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size)s MB; paling besar %(max)s MB). Pecah per kecamatan atau gunakan 'sinergi import-stations'.")
                % {"size": upload.size // (1024 * 1024), "max": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
