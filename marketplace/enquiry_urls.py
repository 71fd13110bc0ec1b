"""Enquiries and messages, under /enquiries/: asking a provider, conversations, the provider's list of
enquiries waiting, and reported messages for council officers."""

from django.urls import path

from marketplace.views import enquiries

urlpatterns: list = [
    path("enquiries/", enquiries.enquiry_list, name="enquiries"),
    path("enquiries/offers/<uuid:offer_public_id>/ask/", enquiries.enquiry_start, name="enquiry-start"),
    path("enquiries/provider/", enquiries.provider_enquiries, name="enquiries-provider"),
    path("enquiries/provider/export.csv", enquiries.provider_enquiries_export, name="enquiries-provider-export"),
    path("enquiries/reports/", enquiries.report_list, name="enquiry-reports"),
    path("enquiries/reports/export.csv", enquiries.report_export, name="enquiry-reports-export"),
    path("enquiries/reports/<uuid:public_id>/", enquiries.report_detail, name="enquiry-report"),
    path(
        "enquiries/reports/<uuid:public_id>/files/<uuid:upload_public_id>/",
        enquiries.report_attachment,
        name="enquiry-report-attachment",
    ),
    path("enquiries/<uuid:public_id>/", enquiries.enquiry_detail, name="enquiry"),
    path("enquiries/<uuid:public_id>/reply/", enquiries.enquiry_reply, name="enquiry-reply"),
    path("enquiries/<uuid:public_id>/close/", enquiries.enquiry_close, name="enquiry-close"),
    path(
        "enquiries/<uuid:public_id>/files/<uuid:upload_public_id>/",
        enquiries.enquiry_attachment,
        name="enquiry-attachment",
    ),
    path(
        "enquiries/<uuid:public_id>/messages/<uuid:message_public_id>/report/",
        enquiries.message_report,
        name="enquiry-message-report",
    ),
]
