"""The shape every order and invoice action shares: a service is called with what the user sent; a
refusal goes back on the form (or, for a button, into a message) and nothing changes; success says so
and goes back to the record's page."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.form_errors import add_service_errors, posted
from brokerage.exceptions import BrokerageError

SERVICE_REFUSALS = (BrokerageError, ValidationError)
__all__ = ["SERVICE_REFUSALS", "button_step", "form_step", "posted", "refusal_message", "show_refusal"]


def show_refusal(form: Form, error: Exception) -> None:
    """A service's refusal on the form: a model's field errors on their fields, a rule's at the top."""
    if isinstance(error, ValidationError):
        add_service_errors(form, error)
    else:
        form.add_error(None, str(error))


def refusal_message(error: Exception) -> str:
    return error.messages[0] if isinstance(error, ValidationError) else str(error)


def form_step(
    request: HttpRequest,
    form: Form,
    *,
    act: Callable[[dict[str, Any]], Any],
    done: str | Callable[[Any], str],
    then: Callable[[Any], str] | str,
    page: Callable[[], HttpResponse],
) -> HttpResponse:
    """On a valid POST, ``act`` on the cleaned data; then tell the user ``done`` and go to ``then`` (both
    may be worked out from what ``act`` returned). Otherwise, or when the service refuses, ``page``."""
    if request.method == "POST" and form.is_valid():
        try:
            result = act(form.cleaned_data)
        except SERVICE_REFUSALS as error:
            show_refusal(form, error)
        else:
            messages.success(request, done(result) if callable(done) else done)
            return redirect(then(result) if callable(then) else then)
    return page()


def button_step(request: HttpRequest, *, act: Callable[[], Any], done: str, then: str) -> HttpResponse:
    """A button with nothing to fill in: a refusal is shown as a message on the page it came from."""
    try:
        act()
    except SERVICE_REFUSALS as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, done)
    return redirect(then)
