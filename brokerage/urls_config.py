"""A council's budget settings and the resource allocation system (RAS): /budgets/settings/ and /budgets/ras/."""

from django.urls import path

from brokerage.views import config, ras, ras_questionnaires

settings_urlpatterns = [
    path("settings/", config.settings_home, name="settings"),
    path("settings/<int:year>/streams/", config.stream_list, name="settings-streams"),
    path("settings/<int:year>/streams.csv", config.stream_list_csv, name="settings-streams-csv"),
    path("settings/<int:year>/streams/new/", config.stream_create, name="settings-stream-create"),
    path("settings/streams/<uuid:public_id>/edit/", config.stream_edit, name="settings-stream-edit"),
    path("settings/<int:year>/policy/", config.policy_edit, name="settings-policy"),
    path("settings/<int:year>/delegated-authority/", config.limit_list, name="settings-limits"),
    path("settings/<int:year>/delegated-authority.csv", config.limit_list_csv, name="settings-limits-csv"),
    path("settings/<int:year>/delegated-authority/new/", config.limit_create, name="settings-limit-create"),
    path("settings/delegated-authority/<int:pk>/edit/", config.limit_edit, name="settings-limit-edit"),
    path("settings/<int:year>/locality-funds/", config.fund_list, name="settings-funds"),
    path("settings/<int:year>/locality-funds.csv", config.fund_list_csv, name="settings-funds-csv"),
    path("settings/<int:year>/locality-funds/new/", config.fund_create, name="settings-fund-create"),
    path("settings/locality-funds/<uuid:public_id>/edit/", config.fund_edit, name="settings-fund-edit"),
]

questionnaire_urlpatterns = [
    path("settings/<int:year>/ras/", ras_questionnaires.questionnaire_list, name="settings-questionnaires"),
    path("settings/<int:year>/ras.csv", ras_questionnaires.questionnaire_list_csv, name="settings-questionnaires-csv"),
    path("settings/<int:year>/ras/new/", ras_questionnaires.questionnaire_create, name="settings-questionnaire-create"),
    path("settings/ras/<uuid:public_id>/", ras_questionnaires.questionnaire_detail, name="settings-questionnaire"),
    path(
        "settings/ras/<uuid:public_id>/edit/",
        ras_questionnaires.questionnaire_edit,
        name="settings-questionnaire-edit",
    ),
    path(
        "settings/ras/<uuid:public_id>/copy/",
        ras_questionnaires.questionnaire_copy,
        name="settings-questionnaire-copy",
    ),
    path(
        "settings/ras/<uuid:public_id>/questions/new/",
        ras_questionnaires.question_create,
        name="settings-question-create",
    ),
    path(
        "settings/ras/<uuid:public_id>/questions/<int:order>/edit/",
        ras_questionnaires.question_edit,
        name="settings-question-edit",
    ),
    path(
        "settings/ras/<uuid:public_id>/questions/<int:order>/answers/new/",
        ras_questionnaires.answer_create,
        name="settings-answer-create",
    ),
    path("settings/ras/answers/<int:pk>/edit/", ras_questionnaires.answer_edit, name="settings-answer-edit"),
]

ras_urlpatterns = [
    path("ras/", ras.ras_home, name="ras"),
    path("ras/results.csv", ras.ras_assessments_csv, name="ras-results-csv"),
    path("ras/people/<uuid:person_id>/", ras.ras_person, name="ras-person"),
    path("ras/people/<uuid:person_id>/<uuid:questionnaire_id>/", ras.ras_complete, name="ras-complete"),
    path("ras/results/<uuid:public_id>/", ras.ras_result, name="ras-result"),
]

urlpatterns = [*settings_urlpatterns, *questionnaire_urlpatterns, *ras_urlpatterns]
