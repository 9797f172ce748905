"""Signatures and backoff, without a server."""

import datetime as dt

import pytest

from service.webhooks.dispatcher import backoff
from service.webhooks.service import url_problems
from service.webhooks.signing import new_secret, signature, signature_header, verify

BODY = b'{"type":"session.completed"}'


class TestSignature:
    def test_is_hmac_sha256_of_timestamp_dot_body(self):
        import hashlib
        import hmac

        secret = new_secret()
        assert (
            signature(secret, 1700000000, BODY)
            == hmac.new(secret.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
        )
        assert (
            signature_header(secret, BODY, 1700000000)
            == f"t=1700000000,v1={signature(secret, 1700000000, BODY)}"
        )

    def test_verifies_the_body_it_signs_only(self):
        secret = new_secret()
        header = signature_header(secret, BODY)
        assert verify(secret, header, BODY)
        assert not verify(secret, header, BODY + b" ")
        assert not verify(new_secret(), header, BODY)
        assert not verify(secret, "t=abc,v1=00", BODY)
        assert not verify(secret, "", BODY)

    def test_an_old_signature_is_refused(self):
        secret = new_secret()
        header = signature_header(secret, BODY, timestamp=1_000)
        assert not verify(secret, header, BODY)
        assert verify(secret, header, BODY, now=1_100)


class TestBackoff:
    def test_doubles_after_each_failure_with_a_little_jitter(self):
        waits = [backoff(n, 1000) for n in range(1, 6)]
        for n, wait in enumerate(waits, start=1):
            base = dt.timedelta(milliseconds=1000 * 2 ** (n - 1))
            assert base <= wait <= base * 1.1

    def test_is_capped(self):
        assert backoff(40, 10_000) <= dt.timedelta(hours=6.6)


class TestUrls:
    @pytest.mark.parametrize(
        "url", ["https://portal.example.com/hooks", "http://127.0.0.1:8080/x?y=1"]
    )
    def test_http_urls_are_taken(self, url):
        assert url_problems(url) == []

    @pytest.mark.parametrize(
        ("url", "code"),
        [
            ("ftp://portal.example.com/hooks", "url.scheme"),
            ("file:///etc/passwd", "url.scheme"),
            ("javascript:alert(1)", "url.scheme"),
            ("gopher://127.0.0.1:25/", "url.scheme"),
            ("portal.example.com/hooks", "url.scheme"),
            ("https://", "url.host"),
            ("https://user:secret@portal.example.com/", "url.credentials"),
            ("https://portal.example.com/a b", "url.invalid"),
            ("https://portal.example.com:99999999/", "url.invalid"),
            ("https://portal.example.com/" + "a" * 2000, "value.maxLength"),
        ],
    )
    def test_anything_else_is_refused(self, url, code):
        assert [p.code for p in url_problems(url)] == [code]
