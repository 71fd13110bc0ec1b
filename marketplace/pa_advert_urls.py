"""PA recruitment (issue #13): the family's adverts and the PAs' replies, under /pa-adverts/."""

from django.urls import path

from marketplace.views import pa_adverts

urlpatterns: list = [
    path("pa-adverts/", pa_adverts.advert_list, name="pa-adverts"),
    path("pa-adverts/new/", pa_adverts.advert_new, name="pa-advert-new"),
    path("pa-adverts/export.csv", pa_adverts.advert_export, name="pa-adverts-export"),
    path("pa-adverts/for-you/", pa_adverts.for_you_list, name="pa-adverts-for-you"),
    path("pa-adverts/for-you/<uuid:public_id>/", pa_adverts.for_you_detail, name="pa-advert-for-you"),
    path("pa-adverts/meetings/<uuid:public_id>/answer/", pa_adverts.meeting_answer, name="pa-meeting-answer"),
    path("pa-adverts/replies/<uuid:public_id>/", pa_adverts.reply_detail, name="pa-reply"),
    path("pa-adverts/replies/<uuid:public_id>/shortlist/", pa_adverts.reply_shortlist, name="pa-reply-shortlist"),
    path("pa-adverts/replies/<uuid:public_id>/decline/", pa_adverts.reply_decline, name="pa-reply-decline"),
    path("pa-adverts/replies/<uuid:public_id>/meet/", pa_adverts.reply_meet, name="pa-reply-meet"),
    path("pa-adverts/replies/<uuid:public_id>/checklist/", pa_adverts.reply_checklist, name="pa-reply-checklist"),
    path("pa-adverts/<uuid:public_id>/", pa_adverts.advert_detail, name="pa-advert"),
    path("pa-adverts/<uuid:public_id>/edit/", pa_adverts.advert_edit, name="pa-advert-edit"),
    path("pa-adverts/<uuid:public_id>/send/", pa_adverts.advert_send, name="pa-advert-send"),
    path("pa-adverts/<uuid:public_id>/close/", pa_adverts.advert_close, name="pa-advert-close"),
]
