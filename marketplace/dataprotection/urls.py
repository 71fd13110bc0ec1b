"""Data protection pages for council administrators, under /data-protection/."""

from django.urls import path

from marketplace.dataprotection import views

urlpatterns = [
    path("data-protection/people/", views.people, name="dataprotection-people"),
    path("data-protection/people/<uuid:public_id>/", views.person, name="dataprotection-person"),
    path("data-protection/people/<uuid:public_id>/export/", views.person_export, name="dataprotection-export"),
    path("data-protection/people/<uuid:public_id>/erase/", views.person_erase, name="dataprotection-erase"),
]
