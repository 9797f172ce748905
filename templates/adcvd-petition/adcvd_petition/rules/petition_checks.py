"""The cross-field rules of the AD/CVD petition packet, as a careful trade lawyer applies them.

``checks`` is what the pack names (``adcvd.checks``). It takes answers shaped by
answers.schema.json but possibly partial, never raises on a missing key, and says nothing
where a rule's inputs are missing: the interview reports missing answers on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adcvd_petition.rules.addressee_checks import addressee_checks
from adcvd_petition.rules.bpi_checks import bpi_checks
from adcvd_petition.rules.case_checks import case_checks
from adcvd_petition.rules.certification_checks import certification_checks
from adcvd_petition.rules.unverified_checks import unverified_checks
from service.packs.plugins import made_of
from service.problems import Problem


@made_of(addressee_checks, case_checks, bpi_checks, certification_checks, unverified_checks)
def checks(answers: Mapping[str, Any]) -> list[Problem]:
    """Every finding, in the order of the interview: addressees, case numbers, volumes and
    BPI, certifications. Each Problem has a bracketed path, a stable code and a severity.

    See the rule families for their codes: addressee_checks, case_checks, bpi_checks,
    certification_checks, unverified_checks. Never raises; answers that are not an object give no findings.
    """
    if not isinstance(answers, Mapping):
        return []
    return [
        *addressee_checks(answers),
        *case_checks(answers),
        *bpi_checks(answers),
        *certification_checks(answers),
        *unverified_checks(answers),
    ]
