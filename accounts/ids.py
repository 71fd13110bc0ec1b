"""Public ids in what people and other services send us (query strings, session data, webhook metadata)."""

import uuid


def is_uuid(value: object) -> bool:
    """Whether ``value`` is text that reads as a UUID: anything else (None, a number, a mangled link) is not an
    id of ours, and looking it up would fail in the database rather than find nothing."""
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
