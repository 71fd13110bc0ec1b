"""Single sign-on pages, included in the accounts URLs (so their names are accounts:sso-* and
accounts:manage-sso*)."""

from django.urls import path

from accounts.sso import views

urlpatterns = [
    path("sign-in/council/", views.sign_in, name="sso-sign-in"),
    path("sign-in/council/return/", views.callback, name="sso-callback"),
    path("manage/single-sign-on/", views.manage_detail, name="manage-sso"),
    path("manage/single-sign-on/set-up/", views.manage_create, name="manage-sso-create"),
    path("manage/single-sign-on/<uuid:public_id>/change/", views.manage_edit, name="manage-sso-edit"),
    path("manage/single-sign-on/<uuid:public_id>/test/", views.manage_test, name="manage-sso-test"),
]
