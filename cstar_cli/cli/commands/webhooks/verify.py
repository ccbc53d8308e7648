"""``cstar webhooks verify``: check a webhook signature offline, and say why it fails (D30)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from cstar_cli.cli.errors import CstarError
    from cstar_cli.client.signing import SignatureVerificationError, Verification

_HEADER_NAME = re.compile(r"^\s*x-(?:cstar-)?signature\s*:\s*", re.IGNORECASE)

_LEGACY_TEXT = {
    "sha256": "the legacy sha256= form",
    "hex": "the bare hex of X-Cstar-Signature, the launch post's form",
}


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
    allow_legacy: bool = typer.Option(
        False,
        "--allow-legacy",
        help="Also accept the untimestamped sha256= and bare-hex forms (no replay protection).",
    ),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object on stdout."),
) -> None:
    """Check a webhook signature against a saved request body, offline; no login needed.

    Exit 0 when it verifies; exit 1 with the reason when it does not: a malformed header,
    a timestamp outside the tolerance, a signature mismatch (wrong secret or changed body), or
    an untimestamped legacy form without --allow-legacy.

    Example: cstar webhooks verify --secret whsec_… --signature 't=…,v1=…' --payload-file body.json
    """
    from cstar_cli.cli.errors import CstarError, UsageError
    from cstar_cli.client import signing

    try:
        if not secret.strip():
            raise UsageError("--secret is empty.", "Pass the endpoint's signing secret, whsec_….")
        body = _read_payload(payload_file)
        header = _HEADER_NAME.sub("", signature, count=1)
        try:
            result = signing.verify(
                body, header, secret, tolerance=tolerance, allow_legacy=allow_legacy
            )
        except signing.SignatureVerificationError as err:
            raise _failure(err, body, header, secret) from None
    except CstarError as err:
        if json_output:
            _print_json_error(err)
            raise typer.Exit(int(err.exit_code)) from None
        raise

    from cstar_cli.client.diagnosis import event_summary

    event = event_summary(body)
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
    from cstar_cli.cli.errors import UsageError

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


def _success_text(result: Verification, tolerance: int, event: dict[str, Any]) -> str:
    from datetime import datetime

    from cstar_cli.wire.times import span

    if result.age is not None and result.timestamp is not None:
        signed = datetime.fromtimestamp(result.timestamp).astimezone()
        age = round(result.age)
        when = f"{span(age)} ago" if age >= 0 else f"{span(age)} in the future"
        window = f"within the {tolerance} s tolerance" if tolerance else "age not checked"
        lines = [f"Signature verified (signed at {signed:%Y-%m-%d %H:%M:%S %Z}, {when}; {window})."]
    else:
        lines = [f"Signature verified ({_LEGACY_TEXT.get(result.scheme, result.scheme)})."]
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
    from cstar_cli.cli.errors import CstarError
    from cstar_cli.client.diagnosis import what_to_do

    failure = CstarError(err.message, what_to_do(err, body, header, secret), code=err.reason)
    failure.error_type = "signature_verification_error"
    return failure


def _print_json_error(err: CstarError) -> None:
    """--json mode: the error as one JSON object on stderr; stdout stays empty."""
    body: dict[str, Any] = {"type": err.error_type, "code": err.code, "message": err.message}
    if err.hint:
        body["hint"] = err.hint
    print(json.dumps({"error": body}), file=sys.stderr)
