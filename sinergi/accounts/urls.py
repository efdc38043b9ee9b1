from django.urls import path

from sinergi.accounts import user_views, views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("lupa-kata-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path("lupa-kata-sandi/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("atur-ulang/selesai/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("atur-ulang/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    # Users by invitation (docs/accounts.md).
    path("pengguna/", user_views.users_page, name="users"),
    path("pengguna/undang/", user_views.invite_page, name="invite"),
    path("pengguna/<int:pk>/undang-ulang/", user_views.reinvite, name="reinvite"),
    path("pengguna/<int:pk>/nonaktifkan/", user_views.deactivate, name="deactivate"),
    path("pengguna/<int:pk>/atur-ulang-totp/", user_views.reset_user_totp, name="reset_totp"),
    # The second step of a sign-in (accounts/totp.py, docs/accounts.md).
    path("masuk/kode/", views.sign_in_code, name="sign_in_code"),
    path("masuk/autentikator/", views.totp_enrol, name="totp_enrol"),
    path("aktivasi/kata-sandi/", views.activation_password, name="activation_password"),
    path("aktivasi/<str:token>/", views.activation_link, name="activate"),
]
