"""Council administration: organisations, users and memberships within the administrator's council."""

from django.urls import path

from accounts.views import manage

urlpatterns = [
    path("organisations/", manage.organisation_list, name="manage-organisations"),
    path("organisations/export.csv", manage.organisation_csv, name="manage-organisations-csv"),
    path("organisations/new/", manage.organisation_create, name="manage-organisation-create"),
    path("organisations/<uuid:public_id>/", manage.organisation_detail, name="manage-organisation"),
    path("organisations/<uuid:public_id>/edit/", manage.organisation_edit, name="manage-organisation-edit"),
    path("users/", manage.user_list, name="manage-users"),
    path("users/export.csv", manage.user_csv, name="manage-users-csv"),
    path("users/invite/", manage.user_invite, name="manage-user-invite"),
    path("users/<uuid:public_id>/", manage.user_detail, name="manage-user"),
    path("users/<uuid:public_id>/add-role/", manage.membership_add, name="manage-user-add-role"),
    path(
        "users/<uuid:public_id>/resend-invitation/",
        manage.user_invitation_resend,
        name="manage-user-resend-invitation",
    ),
    path("roles/<uuid:public_id>/end/", manage.membership_end, name="manage-membership-end"),
    path("roles/<uuid:public_id>/reactivate/", manage.membership_reactivate, name="manage-membership-reactivate"),
]
