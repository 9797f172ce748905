"""The rule library's names, as template packs refer to them.

A pack is data; when it needs a rule of the domain (the BPI summary, who held an office on a
date, the checks a careful trade lawyer makes) it names one of these functions. Import paths
are resolved when a pack is loaded, so a misspelt name stops the start, not a request.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

FUNCTIONS: dict[str, str] = {
    "generic.answers": "service.packs.generic:answers_as_context",
    "adcvd.document_context": "adcvd_petition.rules.petition_context:document_context",
    "adcvd.session_title": "adcvd_petition.rules.petition_context:session_title",
    "adcvd.checks": "adcvd_petition.rules.petition_checks:checks",
    "adcvd.commerce_secretary": "adcvd_petition.rules.officeholders:commerce_secretary",
    "adcvd.itc_secretary": "adcvd_petition.rules.officeholders:itc_secretary",
    "adcvd.product_in_text": "adcvd_petition.rules.petition_context:product_in_text",
}


class UnknownFunction(LookupError):
    pass


def resolve(name: str) -> Callable[..., Any]:
    """The function a pack names. Raises UnknownFunction for a name not in the library."""
    try:
        module_name, attribute = FUNCTIONS[name].split(":")
    except KeyError:
        raise UnknownFunction(f"no rule named {name!r} in the rule library") from None
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise UnknownFunction(f"rule {name!r} points at {FUNCTIONS[name]}, which fails: {exc}") from exc
