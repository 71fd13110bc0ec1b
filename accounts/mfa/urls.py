"""Two-step verification pages, included in the accounts URLs (so their names are accounts:mfa-*)."""

from django.urls import path

from accounts.mfa import views

urlpatterns = [
    path("two-step-verification/", views.manage, name="mfa-manage"),
    path("two-step-verification/code/", views.verify, name="mfa-verify"),
    path("two-step-verification/recovery-code/", views.verify_recovery, name="mfa-verify-recovery"),
    path("two-step-verification/set-up/", views.setup, name="mfa-setup"),
    path("two-step-verification/recovery-codes/", views.recovery_codes, name="mfa-recovery-codes"),
    path(
        "two-step-verification/recovery-codes/download/",
        views.recovery_codes_download,
        name="mfa-recovery-codes-download",
    ),
    path(
        "two-step-verification/recovery-codes/new/",
        views.recovery_codes_regenerate,
        name="mfa-recovery-codes-regenerate",
    ),
    path("two-step-verification/turn-off/", views.turn_off, name="mfa-turn-off"),
    path(
        "manage/users/<uuid:public_id>/two-step-verification/reset/",
        views.reset,
        name="manage-user-mfa-reset",
    ),
]
