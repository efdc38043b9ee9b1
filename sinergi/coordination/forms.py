from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.coordination.models import ActionItem, Meeting, meeting_zone

DECISION_ROWS = 6
ITEM_ROWS = 6
_DATE = {"type": "date"}


class MeetingForm(forms.Form):
    """A meeting with rows for decisions and action items (new ones, when editing). Field names of
    the rows (`decision_<n>`, `item_<n>_<field>`) are the keys of the service's errors."""

    election = forms.ChoiceField(label=_("Pemilihan yang dibahas"), required=False)
    kind = forms.ChoiceField(label=_("Jenis pertemuan"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Judul/acara"), max_length=200)
    day = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs=_DATE))
    start_time = forms.TimeField(label=_("Jam mulai (waktu setempat)"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Tempat"), max_length=200)
    region = forms.ChoiceField(label=_("Wilayah"))
    agencies = forms.MultipleChoiceField(label=_("Lembaga yang hadir"), required=False, widget=forms.CheckboxSelectMultiple)  # checked by the service
    other_attendees = forms.CharField(label=_("Peserta lain"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("Notulen (jalannya rapat)"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, elections=(), regions=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.elections = {str(e.pk): e for e in elections}
        self.agency_by_pk = {str(a.pk): a for a in agencies}
        self.fields["election"].choices = [("", _("(umum, tidak terkait satu pemilihan)"))] + [(key, e.name) for key, e in self.elections.items()]
        self.fields["region"].choices = [(r.code, f"{r.get_kind_display()} {r.name}") for r in regions]
        agency_choices = [(key, a.name) for key, a in self.agency_by_pk.items()]
        self.fields["agencies"].choices = agency_choices
        for n in range(1, DECISION_ROWS + 1):
            self.fields[f"decision_{n}"] = forms.CharField(label=_("Keputusan %(n)s") % {"n": n}, max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
        for n in range(1, ITEM_ROWS + 1):
            self.fields[f"item_{n}_title"] = forms.CharField(label=_("Tindak lanjut"), max_length=200, required=False)
            self.fields[f"item_{n}_owner"] = forms.ChoiceField(label=_("Penanggung jawab"), choices=[("", "—"), *agency_choices], required=False)
            self.fields[f"item_{n}_due_on"] = forms.DateField(label=_("Batas waktu"), required=False, widget=forms.DateInput(attrs=_DATE))
            self.fields[f"item_{n}_decision"] = forms.IntegerField(label=_("Nomor keputusan"), min_value=1, required=False)
            self.fields[f"item_{n}_description"] = forms.CharField(label=_("Uraian"), max_length=4000, required=False)

    def decision_fields(self):
        return [self[f"decision_{n}"] for n in range(1, DECISION_ROWS + 1)]

    def item_rows(self):
        return [[self[f"item_{n}_{name}"] for name in ("title", "owner", "due_on", "decision", "description")] for n in range(1, ITEM_ROWS + 1)]

    def chosen_election(self):
        return self.elections.get(self.cleaned_data["election"])

    def starts_at(self) -> datetime:
        """The date and time typed, read where the meeting is held: its region's zone (the chosen
        election's, else WITA, for a region of no known province)."""
        zone = meeting_zone(self.cleaned_data["region"], self.chosen_election())
        return datetime.combine(self.cleaned_data["day"], self.cleaned_data["start_time"], zone)

    def header(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "starts_at": self.starts_at(),
            "place": data["place"],
            "region_code": data["region"],
            "agencies": [self.agency_by_pk[key] for key in data["agencies"]],
            "election": self.chosen_election(),
            "other_attendees": data["other_attendees"],
            "minutes": data["minutes"],
        }

    def decisions(self) -> list[str]:
        return [self.cleaned_data[f"decision_{n}"] for n in range(1, DECISION_ROWS + 1)]

    def action_items(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "title": data[f"item_{n}_title"],
                "description": data[f"item_{n}_description"],
                "owner": self.agency_by_pk.get(data[f"item_{n}_owner"]),
                "due_on": data[f"item_{n}_due_on"],
                "decision": data[f"item_{n}_decision"],
            }
            for n in range(1, ITEM_ROWS + 1)
        ]


class ItemUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    note = forms.CharField(label=_("Catatan tindak lanjut"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    done_on = forms.DateField(label=_("Tanggal selesai (bila selesai; kosong: hari ini)"), required=False, widget=forms.DateInput(attrs=_DATE))
