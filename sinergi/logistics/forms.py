from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import PhotoField, TableFileField


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


def _seal_list(text: str) -> list[str]:
    return [s.strip() for s in text.replace("\n", ",").split(",") if s.strip()]


class DispatchForm(forms.Form):
    seals = forms.CharField(label=_("Nomor segel (pisahkan dengan koma)"), max_length=2000)

    def clean_seals(self):
        seals = _seal_list(self.cleaned_data["seals"])
        if not seals:
            raise forms.ValidationError(_("Isi paling sedikit satu nomor segel."))
        return seals


class HandoverForm(forms.Form):
    """One handover of a consignment: who to, where, when, counts per item, seals, names, findings."""

    to_party = forms.ChoiceField(label=_("Diserahkan kepada"))
    place = forms.CharField(label=_("Tempat"), max_length=150)
    handed_at = forms.DateTimeField(label=_("Waktu serah terima"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    giver_name = forms.CharField(label=_("Nama yang menyerahkan"), max_length=100)
    receiver_name = forms.CharField(label=_("Nama yang menerima"), max_length=100)
    witness_bawaslu = forms.CharField(label=_("Saksi pengawas (Bawaslu/Panwascam/PKD/PTPS)"), max_length=100, required=False)
    witness_police = forms.CharField(label=_("Saksi kepolisian"), max_length=100, required=False)
    seals = forms.CharField(label=_("Nomor segel"), max_length=2000, required=False)
    finding_kind = forms.ChoiceField(label=_("Temuan lain"), required=False)
    finding_item = forms.ChoiceField(label=_("Barang"), required=False)
    finding_quantity = forms.IntegerField(label=_("Jumlah"), min_value=1, required=False)
    finding_note = forms.CharField(label=_("Keterangan temuan"), max_length=300, required=False)
    photo = PhotoField(label=_("Foto (JPEG/PNG, paling besar 5 MB)"), required=False)

    def __init__(self, *args, parties: list[tuple[str, str]], items: list[tuple[str, str, int]], seals: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["to_party"].choices = parties
        self.fields["seals"].initial = ", ".join(seals)
        self.fields["finding_kind"].choices = [("", "—"), ("rusak", _("Rusak")), ("dapil_lain", _("Surat suara dapil lain (tertukar)"))]
        self.fields["finding_item"].choices = [("", "—")] + [(code, name) for code, name, _count in items]
        # The counted quantities start empty, the expected one shown beside each: a form filled in
        # advance invites signing without counting.
        for code, name, count in items:
            self.fields[f"count_{code}"] = forms.IntegerField(
                label=name,
                min_value=0,
                help_text=_("diharapkan %(n)s") % {"n": count},
                error_messages={"required": _("Jumlah %(item)s yang dihitung belum diisi: hitung barangnya lalu isi jumlahnya (yang diharapkan %(n)s).") % {"item": name, "n": count}},
            )

    def clean(self):
        data = super().clean()
        finding = [data.get("finding_kind"), data.get("finding_item"), data.get("finding_quantity")]
        if any(finding) and not all(finding):
            self.add_error("finding_kind", _("Temuan: isi jenis, barang dan jumlahnya."))
        return data

    def counts(self) -> dict[str, int]:
        return {code: self.cleaned_data[f"count_{code}"] for code, _name, _count in self.items}

    def seal_list(self) -> list[str]:
        return _seal_list(self.cleaned_data["seals"])

    def count_fields(self):
        return [self[f"count_{code}"] for code, _name, _count in self.items]


class TravelTimeForm(forms.Form):
    file = TableFileField(label=_("Berkas waktu tempuh (.xlsx atau .csv: kolom dari, ke, menit)"), too_big=_("Pecah per kecamatan."))
