"""Stripe's webhook endpoint: one per council (``webhook/<council public id>/``, verified with that
council's webhook secret) and one for a single-council deployment (``webhook/``, the environment's secret).

Answers: 400 for a request that is not a genuine, fresh Stripe event (bad signature, stale timestamp, not
JSON); 500 when our handler failed, so that Stripe delivers it again later; 200 for everything else,
including duplicates and events we do not act on, so that Stripe stops sending them.
"""

from uuid import UUID

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from marketplace.payments.models import EventOutcome
from marketplace.payments.webhooks import WebhookRejected, event_receive


@csrf_exempt  # Stripe cannot send a CSRF token; the signature proves the sender instead
@require_POST
def stripe_webhook(request: HttpRequest, council_public_id: UUID | None = None) -> HttpResponse:
    council = None
    if council_public_id is not None:
        council = get_object_or_404(Organisation, public_id=council_public_id, kind=OrganisationKind.COUNCIL)
    try:
        event = event_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature", ""), council=council
        )
    except WebhookRejected as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain")
    status = 500 if event.outcome == EventOutcome.FAILED else 200
    return JsonResponse({"event": event.event_id, "outcome": event.outcome}, status=status)
