"""``Idempotency-Key``: a retried request returns the first result and creates nothing twice.

The record of a key is written in the same transaction as what the request created, with the
response it gave, so a retry either finds both or neither."""
