from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import TableFileField


class StationImportForm(forms.Form):
    file = TableFileField(label=_("Berkas TPS (.xlsx atau .csv)"), too_big=_("Pecah per kecamatan atau gunakan 'sinergi import-stations'."))
