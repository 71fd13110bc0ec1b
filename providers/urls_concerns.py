"""Concerns about providers and personal assistants, at /concerns/."""

from django.urls import path

from providers.views import concerns

urlpatterns = [
    path("", concerns.concern_list, name="concerns"),
    path("report/", concerns.concern_report, name="concern-report"),
    path("report/sent/", concerns.concern_report_sent, name="concern-report-sent"),
    path("yours/", concerns.concern_mine_list, name="concerns-mine"),
    path("yours/<uuid:public_id>/", concerns.concern_mine_detail, name="concern-mine"),
    path("<uuid:public_id>/", concerns.concern_detail, name="concern"),
    path("<uuid:public_id>/notes/", concerns.concern_note_add, name="concern-note-add"),
    path("<uuid:public_id>/enquiry/", concerns.concern_enquiry_start, name="concern-enquiry"),
    path("<uuid:public_id>/suspend/", concerns.concern_suspend, name="concern-suspend"),
    path("<uuid:public_id>/reinstate/", concerns.concern_reinstate, name="concern-reinstate"),
    path("<uuid:public_id>/close/", concerns.concern_close, name="concern-close"),
]
