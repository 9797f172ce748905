"""Webhooks: a key registers a URL for ``session.completed`` and ``documents.generated``.

Events are written to ``webhook_delivery`` in the same transaction as the change they report
(an outbox), and a background dispatcher sends them, signed, retrying with backoff; every
attempt is logged in ``webhook_attempt``. Nothing of this runs on the request's path."""

SESSION_COMPLETED = "session.completed"
DOCUMENTS_GENERATED = "documents.generated"
EVENTS = (SESSION_COMPLETED, DOCUMENTS_GENERATED)
