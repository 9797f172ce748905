"""Keys as strings and scopes as words: no database."""

import pytest

from service.auth import tokens
from service.auth.identity import UnknownScope, parse_scopes, scope_text


class TestKeys:
    def test_a_key_carries_its_visible_id(self):
        key, key_id = tokens.new_key()
        assert key.startswith(f"fa_{key_id}_")
        assert tokens.key_id_of(key) == key_id

    def test_keys_differ_and_hold_256_random_bits(self):
        keys = {tokens.new_key()[0] for _ in range(200)}
        assert len(keys) == 200
        assert all(len(k.split("_", 2)[2]) == 43 for k in keys)  # token_urlsafe(32)

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "fa_",
            "fa_zzzzzzzzzzzz_" + "a" * 43,
            "Bearer x",
            "fa_0123456789ab_short",
            "x" * 5000,
            "fa_0123456789ab_" + "a" * 43 + "\n",
        ],
    )
    def test_anything_else_has_no_key_id(self, text):
        assert tokens.key_id_of(text) is None

    def test_only_the_digest_matches(self):
        key, _ = tokens.new_key()
        stored = tokens.digest(key)
        assert stored != key and len(stored) == 64
        assert tokens.matches(key, stored)
        assert not tokens.matches(key[:-1] + ("A" if key[-1] != "A" else "B"), stored)


class TestScopes:
    def test_words_in_any_order_and_case(self):
        assert parse_scopes(" Write,read ") == {"read", "write"}
        assert scope_text(frozenset({"admin", "read", "generate"})) == "read,generate,admin"

    @pytest.mark.parametrize("text", ["", " , ", "read,delete"])
    def test_unknown_or_no_scope_is_refused(self, text):
        with pytest.raises(UnknownScope):
            parse_scopes(text)
