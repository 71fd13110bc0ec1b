"""Objects the demo does not make, made for the matrix through the apps' own services.

The demo tells Coventry's story; some things in it happen only when someone uses the site (a file sent in
an enquiry, a reported message, a shortlist shared with the school nurse, a meeting with a PA, a receipt
for direct-payment spending, a council's own taxonomy term, its single sign-on, a provider's evidence).
Each is made here by "our" users, as they would make it, so that every URL of the matrix points at a real
object of ours and the other side's answer is asserted on it. The finders in objects.py then find them like
any other object.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import Membership, Organisation
from accounts.roles import Role
from accounts.sso.services import sign_on_create
from brokerage.models import Allocation
from brokerage.services.direct_payments import dp_spend_record
from marketplace.models import Enquiry, Message, PAReply
from marketplace.services.enquiries import message_post, message_report
from marketplace.services.market_messages import market_message_send
from marketplace.services.pa_adverts import pa_meeting_arrange
from marketplace.services.shortlists import shortlist_offer_add, shortlist_share
from marketplace.shortlist_selectors import shortlist_share_candidates
from providers.models import InsuranceKind, Offer, Taxonomy
from providers.services.qa import insurance_submit
from providers.services.taxonomy import taxonomy_term_add
from providers.tests.qa_factories import PDF_BYTES
from tests.access_matrix.world import OUR_COUNCIL, World

PROVIDER_EMAIL = "provider@coventry.demo"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _ours(world: World, role: Role):  # type: ignore[no-untyped-def]
    return world.users[(role.value, "ours")]


def build_extras(world: World) -> None:
    coventry = Organisation.objects.get(slug=OUR_COUNCIL)
    message = _enquiry_file_reported(world)
    assert message is not None, "the demo's enquiry between Tom's mother and the charity is gone"
    _shortlist_shared(world)
    _pa_meeting(world)
    _market_message(world, coventry)
    _insurance_certificate(world)
    _taxonomy_term(world, coventry)
    _sign_on(world, coventry)
    _receipt(world)


def _enquiry_file_reported(world: World) -> Message | None:
    """The charity sends a file in its thread with Tom's mother (enquiry_attachment), and she reports it
    (message_report, report_attachment)."""
    claire, charity = _ours(world, Role.FAMILY_MEMBER), _ours(world, Role.PROVIDER_STAFF)
    enquiry = (
        Enquiry.objects.filter(enquirer=claire, provider_organisation__memberships__user=charity).order_by("pk").first()
    )
    if enquiry is None:
        return None
    message = message_post(
        enquiry=enquiry, sender=charity, body="Our leaflet about the first session.", attachment=_pdf("leaflet.pdf")
    )
    message_report(message=message, reporter=claire, reason="The leaflet asks for my bank details.")
    return message


def _shortlist_shared(world: World) -> None:
    """Tom's mother shortlists the charity's offer and shares the list with his school nurse."""
    claire, nurse = _ours(world, Role.FAMILY_MEMBER), _ours(world, Role.LEAD_PROFESSIONAL)
    offer = (
        Offer.objects.filter(organisation__memberships__user=_ours(world, Role.PROVIDER_STAFF), status="published")
        .order_by("pk")
        .first()
    )
    shortlist_offer_add(owner=claire, offer=offer)
    membership = shortlist_share_candidates(claire).filter(user=nurse, role=Role.LEAD_PROFESSIONAL).first()
    membership = membership or Membership.objects.get(user=nurse, role=Role.LEAD_PROFESSIONAL)
    shortlist_share(owner=claire, recipient_membership=membership)


def _pa_meeting(world: World) -> None:
    """Tom's mother asks Chloe, who replied to her advert, to meet."""
    reply = PAReply.objects.filter(pa__user=_ours(world, Role.PERSONAL_ASSISTANT)).order_by("pk").first()
    pa_meeting_arrange(
        reply=reply,
        actor=_ours(world, Role.FAMILY_MEMBER),
        starts_at=timezone.now() + datetime.timedelta(days=7),
        by_video=False,
        place="The café at the leisure centre",
        note="",
    )


def _market_message(world: World, coventry: Organisation) -> None:
    """Coventry's commissioner writes to every provider of the kind of support the charity offers."""
    offer = (
        Offer.objects.filter(organisation__memberships__user=_ours(world, Role.PROVIDER_STAFF), status="published")
        .exclude(live_version__categories=None)
        .order_by("pk")
        .first()
    )
    market_message_send(
        council=coventry,
        sender=_ours(world, Role.COMMISSIONER),
        key="access-matrix",
        subject="Provider forum in March",
        body="Come and tell us what families are asking for.",
        category=offer.live_version.categories.order_by("pk").first(),
    )


def _insurance_certificate(world: World) -> None:
    """The charity sends its insurance certificate for checking: a provider's own file (upload) and
    evidence for QA officers (evidence)."""
    charity = _ours(world, Role.PROVIDER_STAFF)
    insurance_submit(
        actor=charity,
        kind=InsuranceKind.PUBLIC_LIABILITY,
        insurer="Mutual Assurance",
        cover_amount=Decimal("5000000"),
        expires_on=timezone.localdate() + datetime.timedelta(days=300),
        certificate=_pdf("insurance.pdf"),
        organisation=Membership.objects.filter(user=charity, role=Role.PROVIDER_STAFF).first().organisation,
    )


def _taxonomy_term(world: World, coventry: Organisation) -> None:
    taxonomy = Taxonomy.objects.get(kind=Taxonomy.Kind.SERVICE_CATEGORY)
    taxonomy_term_add(
        actor=_ours(world, Role.COUNCIL_ADMIN),
        council=coventry,
        taxonomy=taxonomy,
        name="Coventry holiday clubs",
        description="Holiday activity and food programme clubs in Coventry.",
    )


def _sign_on(world: World, coventry: Organisation) -> None:
    """Coventry's administrator connects its identity provider (switched off: nothing is fetched)."""
    sign_on_create(
        actor=_ours(world, Role.COUNCIL_ADMIN),
        council=coventry,
        issuer_url="https://login.coventry.example",
        client_id="support-exchange",
        client_secret="matrix-secret-0042",
        allowed_email_domains="coventry.gov.uk",
        password_sign_in_allowed=True,
        is_enabled=False,
    )


def _receipt(world: World) -> None:
    """A family with a direct payment in Coventry records something they bought, with a photo of the receipt."""
    allocation = (
        Allocation.objects.filter(budget__council__slug=OUR_COUNCIL, dp_schedule__isnull=False)
        .select_related("budget__person")
        .order_by("pk")
        .first()
    )
    holder = allocation.budget.person.consent_holders.filter(ended_at__isnull=True).order_by("pk").first().user
    dp_spend_record(
        allocation=allocation,
        actor=holder,
        amount=Decimal("12.50"),
        spent_on=timezone.localdate(),
        description="Swimming session",
        category=None,
        receipt=_png("receipt.png"),
    )
