from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.forms import TableFileField
from sinergi.supervisors import eligibility
from sinergi.supervisors.models import Question, Supervisor


class RosterImportForm(forms.Form):
    file = TableFileField(label=_("Berkas pengawas (.xlsx atau .csv)"), too_big=_("Pecah per kecamatan."))


class ReplaceForm(forms.Form):
    """The person who takes over the post, and why."""

    reason = forms.CharField(label=_("Alasan penggantian"), max_length=200)
    name = forms.CharField(label=_("Nama pengganti"), max_length=120)
    nik = forms.RegexField(label=_("NIK"), regex=r"^\d{16}$", error_messages={"invalid": _("NIK harus 16 angka.")})
    birth_date = forms.DateField(label=_("Tanggal lahir"), widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Supervisor.Sex.choices)
    education = forms.ChoiceField(label=_("Pendidikan terakhir"), choices=Supervisor.Education.choices)
    residence = forms.ChoiceField(label=_("Desa/kelurahan domisili"))
    phone = forms.CharField(label=_("Telepon"), max_length=20, required=False)
    registered_on = forms.DateField(label=_("Tanggal pendaftaran"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residence"].choices = villages
        for code, text in eligibility.DECLARATIONS.items():
            self.fields[f"declaration_{code}"] = forms.BooleanField(label=text, required=False)

    def declarations(self) -> dict[str, bool]:
        return {code: self.cleaned_data[f"declaration_{code}"] for code in eligibility.DECLARATIONS}


class ReportForm(forms.Form):
    """Form A for one stage, built from the stage's checklist; `client_id` is made when the form
    is shown, so sending it twice (a double tap, a retry) stores one report."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    observed_at = forms.DateTimeField(label=_("Waktu pengawasan"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    narrative = forms.CharField(label=_("Uraian singkat hasil pengawasan"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = [q for q in questions if q.kind != "foto"]
        for q in self.questions:
            if q.kind == "ya_tidak":
                field = forms.TypedChoiceField(
                    label=q.text, choices=[("ya", _("Ya")), ("tidak", _("Tidak"))], coerce=lambda v: v == "ya", widget=forms.RadioSelect, required=q.required
                )
            elif q.kind == "angka":
                field = forms.IntegerField(label=q.text, min_value=0, max_value=100_000, required=q.required)
            else:
                field = forms.CharField(label=q.text, max_length=1000, required=q.required)
            self.fields[f"q_{q.code}"] = field

    def answers(self) -> dict:
        return {q.code: self.cleaned_data[f"q_{q.code}"] for q in self.questions if self.cleaned_data.get(f"q_{q.code}") not in (None, "")}


class VenueForm(forms.Form):
    """A place of the inauguration."""

    name = forms.CharField(label=_("Nama tempat"), max_length=150)
    region = forms.ChoiceField(label=_("Kecamatan atau desa"))
    island = forms.ChoiceField(label=_("Pulau"), help_text=_("Pengawas TPS di pulau itu diundang ke sini."))
    capacity = forms.IntegerField(label=_("Kapasitas (orang)"), min_value=1, max_value=100_000)
    priority = forms.IntegerField(
        label=_("Urutan pengisian"), min_value=0, max_value=99, initial=0, help_text=_("Tempat dengan urutan lebih kecil diisi lebih dulu.")
    )
    latitude = forms.FloatField(label=_("Lintang"), min_value=-90, max_value=90, required=False)
    longitude = forms.FloatField(label=_("Bujur"), min_value=-180, max_value=180, required=False)

    def __init__(self, *args, regions, islands, **kwargs):
        super().__init__(*args, prefix="tempat", **kwargs)
        self.fields["region"].choices = regions
        self.fields["island"].choices = [(i, _("Daratan") if i == "daratan" else i) for i in islands]


class SessionForm(forms.Form):
    """A date and time of the inauguration at one venue (local time of the election)."""

    venue = forms.ChoiceField(label=_("Tempat"))
    starts_at = forms.DateTimeField(label=_("Mulai"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, prefix="jadwal", **kwargs)
        self.fields["venue"].choices = venues


class QuestionForm(forms.Form):
    """One question of a stage's checklist (Form A)."""

    stage = forms.ChoiceField(label=_("Tahap"), choices=Question.Stage.choices)
    code = forms.RegexField(
        label=_("Kode"),
        regex=r"^[a-z][a-z0-9_]{1,39}$",
        help_text=_("Huruf kecil, angka, garis bawah; juga kode SMS. Kode yang sudah ada: ubah pertanyaan itu."),
        error_messages={"invalid": _("Huruf kecil, angka dan garis bawah, diawali huruf, 2–40 karakter.")},
    )
    text = forms.CharField(label=_("Pertanyaan"), max_length=300)
    kind = forms.ChoiceField(label=_("Jenis jawaban"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("Wajib dijawab"), required=False)
    order = forms.IntegerField(label=_("Urutan"), min_value=0, max_value=999, initial=99)
    security = forms.BooleanField(
        label=_("Dibaca kepolisian"),
        required=False,
        help_text=_("Jawabannya menyangkut keamanan TPS; Polres dan Polsek wilayahnya membacanya (tanpa uraian dan data pribadi)."),
    )
    concern = forms.ChoiceField(
        label=_("Jawaban yang perlu perhatian"),
        required=False,
        choices=[("", "—"), ("ya", _("Ya")), ("tidak", _("Tidak"))],
        help_text=_("Untuk pertanyaan ya/tidak yang dibaca kepolisian: TPS yang menjawab begini didaftar di papan laporan."),
    )

    def clean_concern(self):
        return {"ya": True, "tidak": False}.get(self.cleaned_data["concern"])
