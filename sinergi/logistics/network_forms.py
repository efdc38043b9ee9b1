"""Forms of the distribution network's page. Each form's fields are named after the keys of the
network document (logistics/network.py) and `row()` returns a row of that document: the rules
(ranges, time format, references, uniqueness) are `networkfile.parse_network`'s, not repeated here —
a form only turns text into numbers, lists and flags."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.logistics.models import Crossing, Place, VehicleGroup

MAX_NETWORK_BYTES = 2 * 1024 * 1024


def _whole(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=label, error_messages={"invalid": _("isi bilangan bulat (angka tanpa koma atau titik), misalnya 12.")}, **kwargs)


def _number(label, **kwargs) -> forms.FloatField:
    return forms.FloatField(label=label, error_messages={"invalid": _("isi angka dengan titik desimal, misalnya 1.30.")}, **kwargs)


def _place_choices(places) -> list[tuple[str, str]]:
    return [("", "—")] + [(p.key, f"{p.name} ({p.key})") for p in places]


class NetworkRowForm(forms.Form):
    """A row of one section of the document; `key` names it and is kept once saved (`editing`)."""

    key = ""

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing and self.key:
            self.fields[self.key].disabled = True
            self.fields[self.key].help_text = _("Tidak dapat diubah setelah disimpan.")

    def row(self) -> dict:
        return dict(self.cleaned_data)


class PlaceForm(NetworkRowForm):
    key = "kode"
    kode = forms.CharField(label=_("Kode"), help_text=_("Huruf kecil, angka dan tanda hubung, misalnya gudang-swecapura."), widget=forms.TextInput(attrs={"maxlength": 60}))
    nama = forms.CharField(label=_("Nama"), widget=forms.TextInput(attrs={"maxlength": 150}))
    jenis = forms.ChoiceField(label=_("Jenis"), choices=Place.Kind.choices)
    lintang = _number(_("Lintang"), help_text=_("Derajat desimal dengan titik, misalnya -8.552."))
    bujur = _number(_("Bujur"), help_text=_("Derajat desimal dengan titik, misalnya 115.405."))
    perkiraan = forms.BooleanField(label=_("Titik perkiraan (belum diukur di lapangan)"), required=False)


class CrossingForm(NetworkRowForm):
    key = "nama"
    nama = forms.CharField(label=_("Nama"), help_text=_("Sama dengan penyeberangan yang tercatat pada TPS kepulauan."), widget=forms.TextInput(attrs={"maxlength": 120}))
    dari = forms.ChoiceField(label=_("Dari"))
    ke = forms.ChoiceField(label=_("Ke"))
    moda = forms.ChoiceField(label=_("Moda"), choices=Crossing.Mode.choices)
    menit = _whole(_("Lama penyeberangan (menit)"))
    berangkat = forms.CharField(label=_("Jam keberangkatan"), help_text=_("JJ:MM, pisahkan dengan koma, misalnya 09:00, 12:00, 15:00."))
    kapasitas = _whole(_("Kapasitas per keberangkatan"), help_text=_("Kendaraan (kapal RoRo) atau paket TPS (perahu barang)."))

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dari"].choices = self.fields["ke"].choices = _place_choices(places)
        if isinstance(self.initial.get("berangkat"), list):
            self.initial["berangkat"] = ", ".join(self.initial["berangkat"])

    def row(self) -> dict:
        row = dict(self.cleaned_data)
        row["berangkat"] = [t for t in row["berangkat"].replace(";", ",").replace(" ", ",").split(",") if t]
        return row


class VehicleForm(NetworkRowForm):
    nama = forms.CharField(label=_("Nama kelompok"), help_text=_("Misalnya Truk atau Pikap Lembongan."), widget=forms.TextInput(attrs={"maxlength": 60}))
    jenis = forms.ChoiceField(label=_("Jenis"), choices=VehicleGroup.Kind.choices)
    jumlah = _whole(_("Jumlah kendaraan"))
    kapasitas = _whole(_("Kapasitas (paket TPS per kendaraan)"))
    kecepatan = _whole(_("Kecepatan rata-rata (km/jam)"))
    pangkalan = forms.ChoiceField(label=_("Pangkalan"))
    muat_ulang = forms.BooleanField(label=_("Boleh kembali memuat di gudang"), required=False)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pangkalan"].choices = _place_choices(places)


class _TimeInput(forms.TextInput):
    input_type = "time"


class RulesForm(forms.Form):
    """The plan's rules (`aturan`, without the escort teams)."""

    pulau_mulai_h = _whole(_("TPS kepulauan dilayani mulai H-"))
    daratan_mulai_h = _whole(_("TPS daratan dilayani mulai H-"))
    tenggat_h = _whole(_("Tenggat tiba di KPPS H-"))
    jam_mulai = forms.CharField(label=_("Jam kerja mulai"), help_text=_("JJ:MM, misalnya 07:00."), widget=_TimeInput)
    jam_selesai = forms.CharField(label=_("Jam kerja selesai"), help_text=_("JJ:MM, misalnya 18:00."), widget=_TimeInput)
    rute_maks_menit = _whole(_("Lama rute paling lama (menit)"))
    faktor_jalan = _number(_("Faktor jalan berkelok"), help_text=_("Jarak jalan ÷ jarak garis lurus, 1.00–3.00 (titik desimal)."))

    def rules(self) -> dict:
        return dict(self.cleaned_data)


class EscortsForm(RulesForm):
    """The escort teams per day (`aturan.tim_kawal_darat`, `aturan.tim_polair`)."""

    pulau_mulai_h = daratan_mulai_h = tenggat_h = jam_mulai = jam_selesai = rute_maks_menit = faktor_jalan = None
    tim_kawal_darat = _whole(_("Tim kawal darat per hari"), help_text=_("Satu tim mengawal satu konvoi darat."))
    tim_polair = _whole(_("Tim Polair per hari"), help_text=_("Satu tim mengawal satu keberangkatan laut yang dipakai."))


class NetworkFileForm(forms.Form):
    file = forms.FileField(label=_("Berkas jaringan (.json, seperti hasil Unduh JSON)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".json"):
            raise forms.ValidationError(_("Gunakan berkas .json."))
        if upload.size > MAX_NETWORK_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar: jaringan satu kabupaten/kota paling besar 2 MB."))
        return upload
