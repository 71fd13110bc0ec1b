"""Quality assurance, mounted at /quality/: the officers' pages, and providers' own checks under my-checks/."""

from django.urls import path

from providers.views import qa

urlpatterns = [
    path("", qa.queue, name="qa-queue"),
    path("policy/", qa.policy_own, name="qa-policy-own"),
    path("councils/<slug:slug>/policy/", qa.policy_edit, name="qa-policy"),
    path("councils/<slug:slug>/reveals/", qa.reveal_log, name="qa-reveals"),
    path("profiles/<uuid:public_id>/", qa.profile_review, name="qa-profile"),
    path("offers/<uuid:public_id>/", qa.offer_review, name="qa-offer"),
    path("dbs/<uuid:public_id>/", qa.dbs_check, name="qa-dbs"),
    path("dbs/<uuid:public_id>/verify/", qa.dbs_verify, name="qa-dbs-verify"),
    path("dbs/<uuid:public_id>/refuse/", qa.dbs_refuse, name="qa-dbs-refuse"),
    path("dbs/<uuid:public_id>/status-check/", qa.dbs_status_check, name="qa-dbs-status-check"),
    path("dbs/<uuid:public_id>/status-check/reveal/", qa.dbs_reveal, name="qa-dbs-reveal"),
    path("declarations/<uuid:public_id>/", qa.declaration_review, name="qa-declaration"),
    path("insurance/<uuid:public_id>/", qa.insurance_review, name="qa-insurance"),
    path("references/<uuid:public_id>/", qa.reference_review, name="qa-reference"),
    path("organisations/<uuid:public_id>/", qa.organisation_assurance, name="qa-organisation"),
    path("organisations/<uuid:public_id>/registrations/new/", qa.registration_add, name="qa-registration-add"),
    path("personal-assistants/<uuid:public_id>/", qa.pa_assurance, name="qa-personal-assistant"),
    path("evidence/<uuid:public_id>/", qa.evidence, name="qa-evidence"),
    # A provider's, personal assistant's or broker organisation's own checks.
    path("my-checks/", qa.my_checks, name="qa-my-checks"),
    path("my-checks/dbs/new/", qa.my_dbs_new, name="qa-my-dbs-new"),
    path("my-checks/dbs/<uuid:public_id>/", qa.my_dbs_check, name="qa-my-check"),
    path("my-checks/declaration/new/", qa.my_declaration_new, name="qa-my-declaration-new"),
    path("my-checks/insurance/new/", qa.my_insurance_new, name="qa-my-insurance-new"),
    path("my-checks/references/new/", qa.my_reference_new, name="qa-my-reference-new"),
]
