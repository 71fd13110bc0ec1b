"""The objects the matrix's URLs point at, found in the demo: one query per key, "ours" being Coventry's.

Each finder returns the URL kwarg value (a public id, a slug or a number), or None when the demo has no
such object (the world then records the key as missing and the URL gets an id nothing has). Where the
demo has several, the finder prefers the one the role's demo login is connected to (Tom's records, the
counselling charity's orders), so that "ours" means ours.
"""

from typing import Any

from django.apps import apps
from django.db.models import Q

from accounts.roles import Role
from tests.access_matrix.world import OUR_COUNCIL, Finder, World


def _model(label: str):  # type: ignore[no-untyped-def]
    return apps.get_model(label)


def _first(label: str, *q: Q, attr: str = "public_id", order: str = "pk", **filters: Any) -> Finder:
    def find(world: World) -> Any:
        row = _model(label).objects.filter(*q, **filters).order_by(order).first()
        return None if row is None else getattr(row, attr)

    return find


def _user(role: str, side: str = "ours") -> Finder:
    return lambda world: world.users[(role, side)].public_id


def _tom_first(label: str, path: str, **filters: Any) -> Finder:
    """An object of Tom's (Claire Walsh's son) when there is one, else any of Coventry's."""

    def find(world: World) -> Any:
        model = _model(label)
        rows = model.objects.filter(**filters)
        mine = rows.filter(**{f"{path}__first_name": "Tom"}).order_by("pk").first()
        row = mine or rows.filter(**{f"{path}__council__slug": OUR_COUNCIL}).order_by("pk").first()
        return None if row is None else row.public_id

    return find


def _notification(world: World) -> Any:
    user = world.users[(Role.FAMILY_MEMBER.value, "ours")]
    row = _model("accounts.Notification").objects.filter(recipient=user).order_by("pk").first()
    return None if row is None else row.public_id


def _membership(world: World) -> Any:
    row = (
        _model("accounts.Membership")
        .objects.filter(organisation__slug=OUR_COUNCIL, role=Role.FAMILY_MEMBER)
        .order_by("pk")
        .first()
    )
    return None if row is None else row.public_id


def _attachment(owner_path: str) -> Finder:
    """(owner id, upload id) of a message with a file."""

    def find(world: World) -> Any:
        message = _model("marketplace.Message").objects.exclude(attachment=None).order_by("pk").first()
        return None if message is None else (getattr(message, owner_path).public_id, message.attachment.public_id)

    return find


def _report_attachment(world: World) -> Any:
    report = _model("marketplace.MessageReport").objects.exclude(message__attachment=None).order_by("pk").first()
    return None if report is None else (report.public_id, report.message.attachment.public_id)


def _enquiry_message(world: World) -> Any:
    message = _model("marketplace.Message").objects.order_by("pk").first()
    return None if message is None else (message.enquiry.public_id, message.public_id)


def _order_change(world: World) -> Any:
    change = _model("marketplace.OrderChange").objects.filter(decision="waiting").order_by("pk").first()
    change = change or _model("marketplace.OrderChange").objects.order_by("pk").first()
    return None if change is None else (change.order.public_id, change.public_id)


def _plan_line(world: World) -> Any:
    line = _model("brokerage.PlanLine").objects.filter(plan__person__first_name="Tom").order_by("pk").first()
    return None if line is None else (line.plan.public_id, line.public_id)


def _package_slot(world: World) -> Any:
    slot = _model("brokerage.PlanLineSlot").objects.order_by("pk").first()
    return None if slot is None else (slot.line.plan.public_id, slot.line.public_id, slot.pk)


def _package_line(world: World) -> Any:
    slot = _model("brokerage.PlanLineSlot").objects.order_by("pk").first()
    line = slot.line if slot else None
    return None if line is None else (line.plan.public_id, line.public_id)


def _question(world: World) -> Any:
    question = (
        _model("brokerage.RASQuestion").objects.filter(questionnaire__council__slug=OUR_COUNCIL).order_by("pk").first()
    )
    return None if question is None else (question.questionnaire.public_id, question.order)


def _ras_complete(world: World) -> Any:
    person = _model("brokerage.PersonSupported").objects.filter(first_name="Tom").order_by("pk").first()
    questionnaire = (
        _model("brokerage.RASQuestionnaire").objects.filter(council__slug=OUR_COUNCIL).order_by("-pk").first()
    )
    return None if not (person and questionnaire) else (person.public_id, questionnaire.public_id)


def _budget_year(world: World) -> Any:
    stream = _model("brokerage.FundingStream").objects.filter(council__slug=OUR_COUNCIL).order_by("-pk").first()
    return None if stream is None else stream.financial_year


def _lot(world: World) -> Any:
    lot = _model("providers.FrameworkLot").objects.filter(framework__council__slug=OUR_COUNCIL).order_by("pk").first()
    return None if lot is None else (lot.framework.public_id, lot.number)


def _access_grant(world: World) -> Any:
    grant = _model("brokerage.AccessGrant").objects.filter(person__first_name="Tom").order_by("pk").first()
    return None if grant is None else (grant.person.public_id, grant.public_id)


def _share(world: World) -> Any:
    share = _model("marketplace.ShortlistShare").objects.order_by("pk").first()
    return None if share is None else share.public_id


def _shortlist_offer(world: World) -> Any:
    item = _model("marketplace.ShortlistItem").objects.order_by("pk").first()
    return None if item is None else item.offer.public_id


def _evidence(world: World) -> Any:
    """A file sent to QA officers as evidence (an insurance certificate or a declaration's evidence)."""
    charity = _model("accounts.Organisation").objects.filter(memberships__user__email="provider@coventry.demo")
    policy = _model("providers.InsurancePolicy").objects.filter(organisation__in=charity).exclude(certificate=None)
    declaration = _model("providers.SaferRecruitmentDeclaration").objects.filter(organisation__in=charity)
    row = policy.order_by("pk").first() or declaration.exclude(evidence=None).order_by("pk").first()
    if row is None:
        return None
    return (row.certificate if hasattr(row, "certificate") else row.evidence).public_id


def _payment(world: World) -> Any:
    payment = _model("marketplace.Payment").objects.filter(run__council__slug=OUR_COUNCIL).order_by("pk").first()
    return None if payment is None else (payment.run.public_id, payment.public_id)


def _person_for(first_name: str) -> Finder:
    return _first("brokerage.PersonSupported", first_name=first_name, council__slug=OUR_COUNCIL)


def _password_reset(world: World) -> Any:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = world.users[(Role.FAMILY_MEMBER.value, "ours")]
    return (urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user))


# Keys that are not anyone's object (a year, a table name, a page path): no side owns them.
NOT_OBJECTS = frozenset({"year", "taxonomy_kind", "insights_table", "framework_action", "cms_path", "oruk_path"})

_COV = {"council__slug": OUR_COUNCIL}
_CHARITY = {"provider_organisation__memberships__user__email": "provider@coventry.demo"}

OBJECTS: dict[str, Finder] = {
    # Values that are not database objects.
    "council_slug": lambda world: OUR_COUNCIL,
    "year": _budget_year,
    "taxonomy_kind": lambda world: "service_category",
    "insights_table": lambda world: "categories",
    "framework_action": lambda world: "suspend",
    "cms_path": lambda world: "",
    "oruk_path": lambda world: "nothing-here",
    "password_reset": _password_reset,
    # accounts
    "notification": _notification,
    "organisation": _first("accounts.Organisation", slug=OUR_COUNCIL),
    "user": _user(Role.FAMILY_MEMBER),
    "membership": _membership,
    "sso_config": _first("accounts.CouncilSignOn", **_COV),
    # providers
    "offer": _first(
        "providers.Offer",
        organisation__memberships__user__email="provider@coventry.demo",
        status="published",
    ),
    "upload": _first("providers.Upload", owner_organisation__memberships__user__email="provider@coventry.demo"),
    "provider_profile": _first(
        "providers.ProviderProfile", organisation__memberships__user__email="provider@coventry.demo"
    ),
    "pa_profile": _first("providers.PersonalAssistantProfile", user__email="pa@coventry.demo"),
    "framework": _first("providers.FrameworkContract", **_COV),
    "framework_lot": _lot,
    "framework_membership": _first("providers.FrameworkMembership", lot__framework__council__slug=OUR_COUNCIL),
    "concern": _first("providers.Concern", **_COV),
    "dbs_check": _first("providers.DBSCheck", pa_profile__user__email="pa@coventry.demo"),
    "declaration": _first("providers.SaferRecruitmentDeclaration", organisation__council__slug=OUR_COUNCIL),
    "insurance": _first("providers.InsurancePolicy", pa_profile__user__email="pa@coventry.demo"),
    "reference": _first("providers.Reference", pa_profile__user__email="pa@coventry.demo"),
    "qa_organisation": _first("accounts.Organisation", memberships__user__email="provider@coventry.demo"),
    "evidence": _evidence,
    "taxonomy_term": _first("providers.TaxonomyTerm", **_COV),
    "oruk_service": _first("providers.Offer", status="published"),
    "oruk_service_at_location": _first("providers.OfferLocation", version__offer__status="published"),
    "oruk_taxonomy": _first("providers.Taxonomy"),
    "oruk_taxonomy_term": _first("providers.TaxonomyTerm", council=None),
    # marketplace: shortlists, enquiries
    "shortlist_offer": _shortlist_offer,
    "shortlist_share": _share,
    "shortlist_shared": _first("marketplace.Shortlist", shares__isnull=False),
    "enquiry": _first("marketplace.Enquiry", enquirer__email="family@coventry.demo"),
    "enquiry_attachment": _attachment("enquiry"),
    "enquiry_message": _enquiry_message,
    "message_report": _first("marketplace.MessageReport", **_COV),
    "report_attachment": _report_attachment,
    # orders, invoices, reviews, complaints
    "person": _person_for("Tom"),
    "order": _tom_first("marketplace.Order", "person", **_CHARITY),
    "order_change": _order_change,
    "one_off": _tom_first("marketplace.OneOffPurchase", "person"),
    "plan_line": _first("brokerage.PlanLine", plan__person__council__slug=OUR_COUNCIL, offer__isnull=False),
    "invoice": _tom_first("marketplace.Invoice", "order__person", **_CHARITY),
    "review": _first("marketplace.Review", **_COV),
    "complaint": _first("marketplace.Complaint", **_COV),
    "order_request": _first("marketplace.OrderRequest", person__council__slug=OUR_COUNCIL),
    "interest": _first("marketplace.InterestDeclaration", broker_organisation__council__slug=OUR_COUNCIL),
    # service funds
    "isf_fund": _first("brokerage.Allocation", budget__council__slug=OUR_COUNCIL, isf_provider__isnull=False),
    "isf_statement": _first("brokerage.ServiceFundStatement", allocation__budget__council__slug=OUR_COUNCIL),
    # family workspace, market messages, adverts
    "help_request": _first("marketplace.HelpRequest", person__council__slug=OUR_COUNCIL),
    "market_message": _first("marketplace.MarketMessage", **_COV),
    "pa_advert": _first("marketplace.PAAdvert", **_COV),
    "pa_reply": _first("marketplace.PAReply", advert__council__slug=OUR_COUNCIL),
    "pa_meeting": _first("marketplace.PAMeeting", reply__advert__council__slug=OUR_COUNCIL),
    # brokerage settings and RAS
    "stream": _first("brokerage.FundingStream", **_COV),
    "limit": _first("brokerage.DelegatedAuthority", attr="pk", **_COV),
    "fund": _first("brokerage.LocalityFund", **_COV),
    "questionnaire": _first("brokerage.RASQuestionnaire", **_COV),
    "question": _question,
    "answer": _first("brokerage.RASAnswer", attr="pk", question__questionnaire__council__slug=OUR_COUNCIL),
    "ras_complete": _ras_complete,
    "ras_result": _first("brokerage.RASAssessment", person__first_name="Tom"),
    # casework
    "budget": _first("brokerage.Budget", person__first_name="Tom"),
    "approval": _first("brokerage.ApprovalRequest", plan__person__council__slug=OUR_COUNCIL),
    "dp_budget": _first("brokerage.Budget", allocations__dp_schedule__isnull=False),
    "plan": _first("brokerage.SupportPlan", person__first_name="Tom", order="-pk"),
    "plan_line_of_plan": _plan_line,
    "package_line": _package_line,
    "package_slot": _package_slot,
    "access_grant": _access_grant,
    "dp_spend": _first("brokerage.FamilySpend", allocation__budget__council__slug=OUR_COUNCIL, receipt__isnull=False),
    "dp_instalment": _first(
        "brokerage.DirectPaymentInstalment", schedule__allocation__budget__council__slug=OUR_COUNCIL
    ),
    "dp_schedule": _first("brokerage.DirectPaymentSchedule", allocation__budget__council__slug=OUR_COUNCIL),
    "monitoring_flag": _first("brokerage.MonitoringFlag", budget__council__slug=OUR_COUNCIL),
    # payments
    "council": _first("accounts.Organisation", slug=OUR_COUNCIL),
    "bank_account": _first("marketplace.BankAccount", **_COV),
    "family_person": _first("brokerage.PersonSupported", council__slug=OUR_COUNCIL, first_name="A"),
    "top_up": _first("marketplace.TopUp", **_COV),
    "top_up_budget": _first("brokerage.Budget", person__first_name="Tom"),
    "payment_run": _first("marketplace.PaymentRun", **_COV),
    "payment": _payment,
    "remittance": _first("marketplace.Payment", run__council__slug=OUR_COUNCIL, **_CHARITY),
}
