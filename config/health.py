from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from search.backends import get_backend


def database_is_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Load balancers poll this: 200 when every component answers, 503 otherwise."""
    database = "ok" if database_is_ok() else "unavailable"
    search_health = get_backend().health()
    search = "ok" if search_health.ok else "unavailable"
    healthy = database == "ok" and search == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "search": search},
        status=200 if healthy else 503,
    )
