"""Forms of joint visits: planning one (day, TPS in order, agencies, team), recording what was found
at one TPS, cancelling and completing. Every rule is the service's; its errors come back on the
fields named here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import PhotoField

_DATE = {"type": "date"}


class VisitForm(forms.Form):
    """`order_<station id>`: the TPS's place in the visit (1, 2, ...), blank when not visited."""

    day = forms.DateField(label=_("Tanggal kunjungan"), widget=forms.DateInput(attrs=_DATE))
    agencies = forms.MultipleChoiceField(label=_("Lembaga yang berangkat"), widget=forms.CheckboxSelectMultiple)
    team = forms.CharField(
        label=_("Anggota tim"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Satu orang per baris: nama, jabatan, lembaga.")
    )
    purpose = forms.CharField(label=_("Tujuan"), max_length=300, required=False)
    minutes_per_station = forms.IntegerField(label=_("Lama di setiap TPS (menit)"), min_value=10, max_value=240, initial=45)

    def __init__(self, *args, agencies=(), stations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = [(str(a.pk), a.name) for a in agencies]
        self.stations = list(stations)
        for station in self.stations:
            self.fields[f"order_{station.pk}"] = forms.IntegerField(label=str(station), min_value=1, max_value=99, required=False)

    def station_rows(self):
        return [(station, self[f"order_{station.pk}"]) for station in self.stations]

    def clean(self):
        data = super().clean()
        chosen = [(data[f"order_{s.pk}"], s.pk) for s in self.stations if data.get(f"order_{s.pk}")]
        orders = [order for order, _ in chosen]
        if len(set(orders)) != len(orders):
            self.add_error(None, _("Dua TPS memiliki nomor urut yang sama; beri setiap TPS urutan yang berbeda."))
        self.station_ids = [pk for _, pk in sorted(chosen)]
        return data


class FindingsForm(forms.Form):
    """One checkbox and one note per indicator (`present_<pk>`, `note_<pk>`), a note, a photo."""

    note = forms.CharField(label=_("Catatan kunjungan di TPS ini"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = PhotoField(label=_("Foto bukti (JPEG/PNG, paling besar 5 MB)"), required=False)
    photo_code = forms.ChoiceField(label=_("Indikator yang dibuktikan foto"), required=False)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.fields["photo_code"].choices = [("", "—")] + [(i.code, f"{i.code} {i.text[:70]}") for i in self.indicators]
        for indicator in self.indicators:
            self.fields[f"present_{indicator.pk}"] = forms.BooleanField(label=f"{indicator.code} {indicator.text}", required=False)
            self.fields[f"note_{indicator.pk}"] = forms.CharField(label=_("Catatan %(code)s") % {"code": indicator.code}, max_length=300, required=False)

    def indicator_rows(self):
        return [(indicator, self[f"present_{indicator.pk}"], self[f"note_{indicator.pk}"]) for indicator in self.indicators]

    def findings(self) -> dict[str, tuple[bool, str]]:
        data = self.cleaned_data
        return {i.code: (bool(data[f"present_{i.pk}"]), data[f"note_{i.pk}"].strip()) for i in self.indicators}


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=300)


class CompleteForm(forms.Form):
    summary = forms.CharField(label=_("Kesimpulan kunjungan"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
