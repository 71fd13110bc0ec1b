"""Complaint pages, at /complaints/: the family's, the provider's (received/), the council's (council/) and
the commissioner's figures (figures/)."""

from django.urls import path

from marketplace.views import complaints

urlpatterns = [
    path("complaints/", complaints.complaint_list, name="complaints"),
    path("complaints/new/", complaints.complaint_start, name="complaint-start"),
    path("complaints/<uuid:public_id>/", complaints.complaint_detail, name="complaint"),
    path("complaints/<uuid:public_id>/accept/", complaints.complaint_accept, name="complaint-accept"),
    path("complaints/<uuid:public_id>/escalate/", complaints.complaint_escalate, name="complaint-escalate"),
    path("complaints/received/", complaints.received_list, name="complaints-received"),
    path("complaints/received/<uuid:public_id>/", complaints.received_detail, name="complaint-received"),
    path("complaints/council/", complaints.council_list, name="complaints-council"),
    path("complaints/council/export.csv", complaints.council_export, name="complaints-council-export"),
    path("complaints/council/<uuid:public_id>/", complaints.council_detail, name="complaint-council"),
    path("complaints/figures/", complaints.figures, name="complaint-figures"),
    path("complaints/figures/export.csv", complaints.figures_export, name="complaint-figures-export"),
]
