"""The open API's rules from the UK profile's compliance page: open without keys or sign-in, and
``Access-Control-Allow-Origin: *`` on every response, errors included, so browser apps can read it."""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from search.exceptions import SearchUnavailable


class SearchIsUnavailable(APIException):
    """The search backend cannot answer now (``SearchUnavailable``): a 503 the caller may retry, not a 500."""

    status_code = 503
    default_detail = "Search is not working at the moment. Try again in a few minutes."
    default_code = "search_unavailable"


def allow_any_origin(response: Any) -> Any:
    response["Access-Control-Allow-Origin"] = "*"
    return response


class OpenDataView:
    """Mixed into every view of the open API."""

    authentication_classes: list = []  # no sign-in, so no CSRF either: every request is a plain GET
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head", "options"]

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        return allow_any_origin(super().finalize_response(request, response, *args, **kwargs))  # type: ignore[misc]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, SearchUnavailable):
            exc = SearchIsUnavailable()
        response = super().handle_exception(exc)  # type: ignore[misc]
        if isinstance(exc, ValidationError):
            response.data = {"message": _message(response.data), "errors": response.data}
        return response


def _message(errors: Any) -> str:
    if isinstance(errors, dict):
        parts = [
            f"{name}: {' '.join(str(m) for m in (messages if isinstance(messages, list) else [messages]))}"
            for name, messages in errors.items()
        ]
        return "Some parameters are not valid. " + "; ".join(parts)
    return "Some parameters are not valid. " + " ".join(str(error) for error in errors)


READ_METHODS = ("GET", "HEAD", "OPTIONS")


@csrf_exempt  # it changes nothing, whatever the method
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other address under /api/oruk/: a JSON 404 the open API's consumers can read, or 405 for a
    method that would change something (the API is read-only, as the views' own 405s say)."""
    if request.method not in READ_METHODS:
        response = JsonResponse({"detail": f'Method "{request.method}" not allowed.'}, status=405)
        response["Allow"] = ", ".join(READ_METHODS)
        return allow_any_origin(response)
    return allow_any_origin(JsonResponse({"detail": "There is nothing at this address."}, status=404))
