from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Agency, User


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's own Indonesian wording repeats the field name; say it plainly.
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator lembaga Anda."),
    }


class InviteForm(forms.Form):
    """An administrator's invitation: the agencies offered are those they manage
    (`queries.agencies_managed_by`); the service checks everything again."""

    username = forms.CharField(label=_("Nama pengguna"), max_length=150, help_text=_("Untuk masuk: huruf, angka dan . @ + - _, tanpa spasi; mis. made.sudana."))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False)
    agency = forms.ModelChoiceField(
        label=_("Lembaga"), queryset=Agency.objects.none(), to_field_name="slug", empty_label=None,
        error_messages={"invalid_choice": _("Pilih lembaga dari daftar: lembaga Anda atau lembaga di bawahnya, di wilayah Anda.")},
    )  # fmt: skip
    role = forms.ChoiceField(label=_("Peran"), choices=User.Role.choices, initial=User.Role.STAFF)
    email = forms.EmailField(label=_("Surel"), required=False, help_text=_("Bila diisi, tautan aktivasi dikirim ke alamat ini."))
    area = forms.CharField(
        label=_("Wilayah (opsional)"), max_length=20, required=False,
        help_text=_("Kode wilayah yang lebih sempit dari wilayah lembaga, mis. 51.05.01.2010; kosong: seluruh wilayah lembaga."),
    )  # fmt: skip

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class CodeForm(forms.Form):
    """The 6-digit code of an authenticator app (the second step of a sign-in, an enrolment)."""

    code = forms.CharField(label=_("Kode 6 angka"), max_length=12, widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}))
