"""Open Referral ids: every entity needs a UUID, but schedules, cost options, service areas, languages
and addresses have none of their own. They get name-based UUIDs (RFC 4122 version 5) from our row ids,
so the same row always has the same id and a consumer can follow it between fetches."""

import uuid

# Fixed for this publisher: changing it would change every derived id consumers have stored.
NAMESPACE = uuid.UUID("6f5b8c1e-3f52-4b8e-9a0e-5d2c7f1a9b40")


def derived_id(kind: str, *parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join([kind, *(str(part) for part in parts)]))
