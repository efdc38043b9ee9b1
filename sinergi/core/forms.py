"""Form pieces shared by the apps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.uploads import MAX_PHOTO_BYTES

# A district's file is tens of kilobytes; a national one as CSV is about 100 MB and belongs on the
# command line.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class TableFileField(forms.FileField):
    """An uploaded .xlsx or .csv of at most MAX_UPLOAD_BYTES; `too_big` names the way out."""

    def __init__(self, *args, too_big: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_big = too_big

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None:
            return upload
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Gunakan berkas .xlsx atau .csv."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Berkas terlalu besar (%(size)s MB; paling besar %(max)s MB).")
                % {"size": upload.size // (1024 * 1024), "max": MAX_UPLOAD_BYTES // (1024 * 1024)}
                + " "
                + str(self.too_big)
            )
        return upload


class PhotoField(forms.ImageField):
    """An uploaded photo: a JPEG or PNG image (read to check), at most 5 MB. The service that stores
    it checks it again, fully, with `core.uploads.check_upload` and names the file itself."""

    def clean(self, data, initial=None):
        photo = super().clean(data, initial)
        if not photo:
            return photo
        if photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("Foto terlalu besar: paling besar 5 MB."))
        if getattr(photo, "image", None) is not None and photo.image.format not in ("JPEG", "PNG"):
            raise forms.ValidationError(_("Foto harus JPEG atau PNG."))
        return photo


class MarksRequired:
    """Mixin for a form people fill in without help (the public report): each required field says so
    to the eye (a red * after its label, `core/label.html`) and to a screen reader (`required` and
    `aria-required`); the page explains the * once (`core/_required_legend.html`)."""

    required_css_class = "required"
    template_name_label = "core/label.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"
