"""Why a webhook signature did not verify: the reason in words and the likely culprit.

``cstar webhooks verify`` uses it offline; so can any receiver. The near variants tried to find
the culprit (a trailing newline, the secret without ``whsec_``, re-serialised JSON) are never
accepted: they only name the mistake.
"""

from __future__ import annotations

import json
from typing import Any

from cstar_cli.client import signing


def event_summary(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or ``{}`` when it is not one."""
    try:
        event = json.loads(body)
    except ValueError:
        return {}
    return event if isinstance(event, dict) else {}


def what_to_do(
    err: signing.SignatureVerificationError, body: bytes, header: str, secret: str
) -> str:
    """The next step for a failed verification, naming the culprit when it can be found."""
    hint: str
    if isinstance(err, signing.MalformedHeaderError):
        hint = (
            "Pass the signature header value exactly as received, quoted for the shell: "
            "'t=<unix seconds>,v1=<64 hex>' (X-Signature), 'sha256=<64 hex>' or the bare hex "
            "digest (X-Cstar-Signature)."
        )
    elif isinstance(err, signing.LegacySignatureError):
        hint = (
            "Pass the X-Signature header (t=…,v1=…) instead, or add --allow-legacy if you "
            "really mean to accept a signature that can be replayed."
        )
    elif isinstance(err, signing.TimestampOutsideToleranceError):
        if err.age < 0:
            hint = "Check this machine's clock (and the sender's); they should agree to the second."
        else:
            hint = (
                "Receivers should reject this delivery. To check a delivery captured earlier, "
                "run again with --tolerance 0 (skips the age check)."
            )
    else:
        hint = _mismatch_hint(body, header, secret)
    return hint


def _mismatch_hint(body: bytes, header: str, secret: str) -> str:
    """Find the usual culprit by trying near variants of the body and secret (never accepted)."""

    def verifies(candidate_body: bytes, candidate_secret: str) -> bool:
        return signing.verify_signature(
            candidate_body, header, candidate_secret, tolerance=0, allow_legacy=True
        )

    stripped = body.rstrip(b"\r\n")
    if stripped != body and verifies(stripped, secret):
        return (
            "The payload file ends with a newline the signed body did not have (editors and echo "
            "add one). Save the body byte for byte, e.g. with printf '%s' or curl --data-binary."
        )
    if secret.startswith("whsec_") and verifies(body, secret.removeprefix("whsec_")):
        return (
            "The sender keyed the HMAC with the secret minus its whsec_ prefix; cStar keys it "
            "with the whole secret string, whsec_ included."
        )
    if not secret.startswith("whsec_") and verifies(body, "whsec_" + secret):
        return "Pass the whole secret, whsec_ prefix included: cStar keys the HMAC with all of it."
    event = event_summary(body)
    if event:
        for compact in (
            json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode("utf-8"),
            json.dumps(event, separators=(",", ":")).encode("ascii"),
        ):
            if compact != body and verifies(compact, secret):
                return (
                    "The signature is over the compact JSON the sender sent; the payload file "
                    "was re-formatted. Save the raw request body byte for byte, before parsing."
                )
    return (
        "Check that --secret is this endpoint's signing secret (whsec_…, shown once when the "
        "webhook was created or rotated; `cstar listen` prints its own), and that the payload "
        "file holds the raw request body byte for byte, not re-serialised JSON."
    )
