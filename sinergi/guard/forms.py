from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import TableFileField


class PersonnelForm(forms.Form):
    polsek = forms.ChoiceField(label=_("Polsek"))
    available = forms.IntegerField(label=_("Personel tersedia"), min_value=0)
    reinforcements = forms.IntegerField(label=_("Bantuan dari luar (BKO)"), min_value=0, initial=0)

    def __init__(self, *args, polseks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["polsek"].choices = [(a.slug, a.name) for a in polseks]


LEVELS = [("kurang_rawan", _("Kurang rawan")), ("rawan", _("Rawan")), ("sangat_rawan", _("Sangat rawan")), ("khusus", _("Khusus"))]


class FormationForm(forms.Form):
    """Police : TPS : Linmas per post for each class; or a preset to start from."""

    preset = forms.ChoiceField(label=_("Mulai dari formasi"), required=False)

    def __init__(self, *args, presets, initial_rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = [("", _("— isi sendiri di bawah —"))] + [(key, data["name"]) for key, data in presets.items()]
        for level, label in LEVELS:
            police, stations, linmas = initial_rules.get(level, (2, 1, 2))
            self.fields[f"{level}_police"] = forms.IntegerField(label=f"{label}: {_('polisi')}", min_value=0, initial=police)
            self.fields[f"{level}_stations"] = forms.IntegerField(label=f"{label}: {_('TPS')}", min_value=1, initial=stations)
            self.fields[f"{level}_linmas"] = forms.IntegerField(label=f"{label}: {_('Linmas')}", min_value=0, initial=linmas)

    def rules(self) -> dict[str, tuple[int, int, int]]:
        data = self.cleaned_data
        return {level: (data[f"{level}_police"], data[f"{level}_stations"], data[f"{level}_linmas"]) for level, _label in LEVELS}


class PolsekAreaForm(forms.Form):
    """One kecamatan handed to a Polsek (its own Polsek takes it back); checked by the service."""

    kecamatan = forms.ChoiceField(label=_("Kecamatan"))
    polsek = forms.ChoiceField(label=_("Dijaga oleh"))

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [(row.kecamatan.code, row.kecamatan.name) for row in areas]
        self.fields["polsek"].choices = list({a.slug: a.name for row in areas for a in row.choices}.items())


class FormationImportForm(forms.Form):
    file = TableFileField(label=_("Berkas formasi dan personel (.xlsx atau .csv)"), too_big=_("Gunakan 'sinergi load-formation'."))
