"""Provider self-service, mounted at /providers/: registration, dashboard, profile, offers and files."""

from django.urls import path

from providers.views import self_service, uploads

urlpatterns = [
    path("", self_service.dashboard, name="dashboard"),
    path("register/", self_service.register_start, name="register"),
    path("register/organisation/", self_service.register_organisation, name="register-organisation"),
    path(
        "register/personal-assistant/",
        self_service.register_personal_assistant,
        name="register-personal-assistant",
    ),
    path("profile/", self_service.profile_edit, name="profile-edit"),
    path("profile/submit/", self_service.profile_submit_confirm, name="profile-submit"),
    path("profile/picture/", uploads.profile_picture, name="profile-picture"),
    path("documents/", uploads.documents, name="documents"),
    path("offers/new/", self_service.offer_new, name="offer-new"),
    path("offers/<uuid:public_id>/", self_service.offer_preview, name="offer-preview"),
    path("offers/<uuid:public_id>/edit/", self_service.offer_change, name="offer-edit"),
    path("offers/<uuid:public_id>/submit/", self_service.offer_submit_confirm, name="offer-submit"),
    path("offers/<uuid:public_id>/withdraw/", self_service.offer_withdraw, name="offer-withdraw"),
    path("uploads/<uuid:public_id>/", uploads.upload_serve, name="upload"),
]
