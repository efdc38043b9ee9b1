from django import forms
from django.utils.translation import gettext_lazy as _


class PersonnelForm(forms.Form):
    polsek = forms.ChoiceField(label=_("Polsek"))
    available = forms.IntegerField(label=_("Personel tersedia"), min_value=0)
    reinforcements = forms.IntegerField(label=_("Bantuan dari luar (BKO)"), min_value=0, initial=0)

    def __init__(self, *args, polseks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["polsek"].choices = [(a.slug, a.name) for a in polseks]
