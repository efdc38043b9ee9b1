from django import forms
from django.utils.translation import gettext_lazy as _


class ReserveForm(forms.Form):
    item = forms.ChoiceField(label=_("Barang"))
    quantity = forms.IntegerField(label=_("Jumlah cadangan di kabupaten/kota"), min_value=0, max_value=10_000_000)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(item.code, f"{item.name} ({item.unit})") for item in items]
