"""Framework contracts for commissioners, at /frameworks/."""

from django.urls import path

from providers.views import frameworks

urlpatterns = [
    path("", frameworks.framework_list, name="frameworks"),
    path("new/", frameworks.framework_create, name="framework-create"),
    path("<uuid:public_id>/", frameworks.framework_detail, name="framework"),
    path("<uuid:public_id>/edit/", frameworks.framework_edit, name="framework-edit"),
    path("<uuid:public_id>/members.csv", frameworks.framework_members_csv, name="framework-members-csv"),
    path("<uuid:public_id>/lots/new/", frameworks.lot_create, name="framework-lot-create"),
    path("<uuid:public_id>/lots/<int:number>/admit/", frameworks.membership_admit, name="framework-lot-admit"),
    path("memberships/<uuid:public_id>/", frameworks.membership_detail, name="framework-membership"),
    path(
        "memberships/<uuid:public_id>/<slug:action>/",
        frameworks.membership_change,
        name="framework-membership-change",
    ),
]
