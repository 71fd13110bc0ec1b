"""The one way to tell a user something: ``notification_send`` and ``notification_send_many``.

Each creates the in-app notification (listed at /account/notifications/) and, after the transaction
commits, queues its delivery by email, and by text message when the recipient chose them. See
docs/notifications.md.
"""

from accounts.notifications.services import notification_send, notification_send_many

__all__ = ["notification_send", "notification_send_many"]
