from django import forms
from django.utils.translation import gettext_lazy as _


class ReserveForm(forms.Form):
    item = forms.ChoiceField(label=_("Barang"))
    quantity = forms.IntegerField(label=_("Jumlah cadangan di kabupaten/kota"), min_value=0, max_value=10_000_000)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(item.code, f"{item.name} ({item.unit})") for item in items]


class ReplanForm(forms.Form):
    reason = forms.CharField(label=_("Alasan menyusun ulang"), max_length=200, required=False)


class ClosureForm(forms.Form):
    crossing = forms.ChoiceField(label=_("Penyeberangan"))
    starts_at = forms.DateTimeField(label=_("Ditutup mulai"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Sampai"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=_("Alasan"), max_length=200, initial=_("Gelombang tinggi"))

    def __init__(self, *args, crossings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crossing"].choices = [(str(c.pk), c.name) for c in crossings]

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("Waktu selesai harus setelah waktu mulai."))
        return data
