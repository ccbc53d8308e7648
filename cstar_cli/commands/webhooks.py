"""``cstar webhooks``: work with webhook deliveries; ``verify`` checks a signature offline."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from cstar_cli.api.signing import SignatureVerificationError, Verification
    from cstar_cli.errors import CstarError

app = typer.Typer(
    name="webhooks",
    help="Work with webhook deliveries: check a signature the way your receiver should.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def webhooks() -> None:
    """Work with webhook deliveries: check a signature the way your receiver should."""


# Someone may paste the whole header line ("X-Signature: t=…") instead of its value.
_HEADER_NAME = re.compile(r"^\s*x-(?:cstar-)?signature\s*:\s*", re.IGNORECASE)

_SCHEME_TEXT = {
    "v1": "t=,v1= (X-Signature)",
    "sha256": "legacy sha256= (X-Signature)",
    "hex": "bare hex (X-Cstar-Signature, the launch post's form)",
}


@app.command("verify")
def verify(
    secret: str = typer.Option(
        ...,
        "--secret",
        envvar="CSTAR_WEBHOOK_SECRET",
        help="The endpoint's signing secret, whsec_… (or set CSTAR_WEBHOOK_SECRET).",
        show_envvar=False,
    ),
    signature: str = typer.Option(
        ...,
        "--signature",
        help="The signature header value as received: 't=…,v1=…', 'sha256=…' or a hex digest.",
    ),
    payload_file: str = typer.Option(
        ...,
        "--payload-file",
        help="File holding the raw request body, byte for byte; '-' reads stdin.",
    ),
    tolerance: int = typer.Option(
        300,
        "--tolerance",
        min=0,
        help="Seconds a t= timestamp may be from this machine's clock; 0 skips the age check.",
    ),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
) -> None:
    """Check a webhook signature against a saved request body, offline; no login needed.

    Exit 0 when it verifies; exit 1 with the reason when it does not: a malformed header,
    a timestamp outside the tolerance, or a signature mismatch (wrong secret or changed body).

    Example: cstar webhooks verify --secret whsec_… --signature 't=…,v1=…' --payload-file body.json
    """
    from cstar_cli.api import signing
    from cstar_cli.errors import CstarError, UsageError

    try:
        if not secret.strip():
            raise UsageError("--secret is empty.", "Pass the endpoint's signing secret, whsec_….")
        body = _read_payload(payload_file)
        header = _HEADER_NAME.sub("", signature, count=1)
        try:
            result = signing.verify(body, header, secret, tolerance=tolerance)
        except signing.SignatureVerificationError as err:
            raise _failure(err, body, header, secret) from None
    except CstarError as err:
        if json_output:
            _print_json_error(err)
            raise typer.Exit(int(err.exit_code)) from None
        raise

    event = _event_summary(body)
    if json_output:
        out: dict[str, Any] = {
            "verified": True,
            "scheme": result.scheme,
            "timestamp": result.timestamp,
            "age_seconds": None if result.age is None else round(result.age),
            "tolerance": tolerance if result.scheme == "v1" else None,
            "event_id": event.get("id"),
            "event_type": event.get("type"),
        }
        print(json.dumps(out))
        return
    print(_success_text(result, tolerance, event), file=sys.stderr)


def _read_payload(name: str) -> bytes:
    from cstar_cli.errors import UsageError

    if name == "-":
        stream = getattr(sys.stdin, "buffer", None)
        return stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    path = Path(name)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            f"Payload file not found: {name}",
            "Pass the file holding the raw request body, or '-' to read it from stdin.",
        ) from None
    except IsADirectoryError:
        raise UsageError(f"--payload-file is a directory: {name}") from None
    except OSError as err:
        raise UsageError(f"Cannot read the payload file {name}: {err.strerror or err}") from None


def _event_summary(body: bytes) -> dict[str, Any]:
    try:
        event = json.loads(body)
    except ValueError:
        return {}
    return event if isinstance(event, dict) else {}


def _success_text(result: Verification, tolerance: int, event: dict[str, Any]) -> str:
    lines = [f"Signature verified: {_SCHEME_TEXT[result.scheme]}."]
    if result.age is not None and result.timestamp is not None:
        age = round(result.age)
        when = f"{age} s ago" if age >= 0 else f"{-age} s in the future"
        window = f"within the {tolerance} s tolerance" if tolerance else "age check skipped"
        lines.append(f"Signed at t={result.timestamp}, {when} ({window}).")
    else:
        lines.append(
            "This form carries no timestamp, so there is no replay protection; cStar now sends "
            "X-Signature: t=…,v1=…."
        )
    if event.get("type") or event.get("id"):
        lines.append(f"Event: {event.get('type', '?')} {event.get('id', '')}".rstrip())
    elif not event:
        lines.append("Note: the body is not a JSON object, so it is not a cStar event.")
    return "\n".join(lines)


def _failure(err: SignatureVerificationError, body: bytes, header: str, secret: str) -> CstarError:
    from cstar_cli.api import signing

    hint: str
    if isinstance(err, signing.MalformedHeaderError):
        hint = (
            "Pass the signature header value exactly as received, quoted for the shell: "
            "'t=<unix seconds>,v1=<64 hex>' (X-Signature), 'sha256=<64 hex>' or the bare hex "
            "digest (X-Cstar-Signature)."
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
    from cstar_cli.errors import CstarError

    failure = CstarError(err.message, hint, code=err.reason)
    failure.error_type = "signature_verification_error"
    return failure


def _mismatch_hint(body: bytes, header: str, secret: str) -> str:
    """Find the usual culprit by trying near variants of the body and secret (never accepted)."""
    from cstar_cli.api import signing

    def verifies(candidate_body: bytes, candidate_secret: str) -> bool:
        return signing.verify_signature(candidate_body, header, candidate_secret, tolerance=0)

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
    event = _event_summary(body)
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


def _print_json_error(err: CstarError) -> None:
    """--json mode: the error as one JSON object on stderr; stdout stays empty."""
    body: dict[str, Any] = {"type": err.error_type, "code": err.code, "message": err.message}
    if err.hint:
        body["hint"] = err.hint
    print(json.dumps({"error": body}), file=sys.stderr)
