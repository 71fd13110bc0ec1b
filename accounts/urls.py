from django.urls import include, path

from accounts.views import account, auth

app_name = "accounts"
urlpatterns = [
    path("", account.dashboard, name="dashboard"),
    path("sign-in/", auth.SignInView.as_view(), name="sign-in"),
    path("sign-out/", auth.SignOutView.as_view(), name="sign-out"),
    path("password-reset/", auth.ResetRequestView.as_view(), name="password-reset"),
    path("password-reset/sent/", auth.ResetSentView.as_view(), name="password-reset-sent"),
    path("password-reset/<uidb64>/<token>/", auth.ResetConfirmView.as_view(), name="password-reset-confirm"),
    path("password-reset/complete/", auth.ResetCompleteView.as_view(), name="password-reset-complete"),
    path("password/", auth.ChangePasswordView.as_view(), name="password-change"),
    path("details/", account.profile_edit, name="profile"),
    path("acting-as/", account.switch_membership, name="switch-membership"),
    path("notifications/", account.notification_list, name="notifications"),
    path("notifications/read-all/", account.notifications_mark_all_read, name="notifications-read-all"),
    path("notifications/<uuid:public_id>/", account.notification_open, name="notification-open"),
    path("manage/", include("accounts.manage_urls")),
    path("", include("accounts.mfa.urls")),
    path("", include("accounts.sso.urls")),
]
