"""The dispatcher makes its HTTP client (a TLS context: the certificates read, tens of
milliseconds on the event loop) for its first delivery, not while the server starts."""

from tests.conftest import bearer
from tests.webhooks.conftest import register
from tests.webhooks.test_delivery import idle


async def test_no_http_client_until_a_delivery_is_due(
    hook_client, make_key, receiver, solar_answers, monkeypatch
):
    from service.webhooks import dispatcher

    made = []
    guarded = dispatcher.guarded_transport

    def transport(policy):
        made.append(policy)
        return guarded(policy)

    monkeypatch.setattr(dispatcher, "guarded_transport", transport)
    key = await make_key("portal", scopes="read,write")
    hook = await register(hook_client, key, receiver.url, events=["session.completed"])
    receiver.secret = hook["secret"]
    await idle(hook_client)  # polls that found nothing to send
    assert made == []

    created = await hook_client.post(
        "/api/sessions",
        json={"pack": "adcvd-petition", "answers": solar_answers},
        headers=bearer(key),
    )
    assert created.json()["status"] == "complete"
    (completed,) = await receiver.wait_for(1)
    assert completed.signed
    await idle(hook_client)
    assert len(made) == 1


def test_the_transports_read_the_certificates_once_per_process(monkeypatch):
    import ssl

    from service.webhooks import addresses, transport

    contexts = []
    create = ssl.create_default_context

    def counted(*args, **kwargs):
        contexts.append(create(*args, **kwargs))
        return contexts[-1]

    monkeypatch.setattr(ssl, "create_default_context", counted)
    transport._ssl_context.cache_clear()  # as in a new process
    try:
        first = transport.guarded_transport(addresses.AddressPolicy.parse(""))
        second = transport.guarded_transport(addresses.AddressPolicy.parse(""))
        # One context for the transport and its pool, and for the next dispatcher's too.
        assert len(contexts) == 1
        assert first._pool._ssl_context is second._pool._ssl_context is contexts[0]
    finally:
        transport._ssl_context.cache_clear()
