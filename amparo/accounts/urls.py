from django.urls import path

from amparo.accounts.views import auth, profile, security

app_name = "accounts"

urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("login/verify/", auth.login_verify, name="login_verify"),
    path("logout/", auth.logout_view, name="logout"),
    path("password-reset/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("profile/", profile.profile, name="profile"),
    path("availability/", profile.availability, name="availability"),
    path("password/", profile.password_change, name="password_change"),
    path("two-factor/", security.two_factor, name="two_factor"),
    path("two-factor/enrol/", security.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/disable/", security.two_factor_disable, name="two_factor_disable"),
    path("two-factor/backup-codes/", security.backup_codes, name="backup_codes"),
    path("sessions/", security.sessions, name="sessions"),
    path("sessions/<int:session_id>/end/", security.session_end, name="session_end"),
    path("sessions/end-others/", security.sessions_end_others, name="sessions_end_others"),
]
