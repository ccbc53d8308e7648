"""The platform's error model (D5): every failure is an ``ApiError`` rendered in one shape."""

from __future__ import annotations

from typing import Any

from cstar_cli.platform.settings import PUBLIC_DOC_BASE

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "authorization_error",
    404: "not_found_error",
    405: "invalid_request_error",
    409: "invalid_request_error",
    413: "invalid_request_error",
    429: "rate_limit_error",
    500: "api_error",
}


class ApiError(Exception):
    """An API failure with its HTTP status, D5 type and code, and the offending ``param``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        param: str | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = ERROR_TYPES.get(status, "api_error")
        self.code = code
        self.message = message
        self.param = param
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self, request_id: str, timestamp: str) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "code": self.code, "message": self.message}
        if self.param is not None:
            error["param"] = self.param
        error.update(self.extra)
        # the rate-limit page anchors on the type, as facts §1.4 shows it; the rest on the code
        anchor = self.type if self.status == 429 else self.code
        error["doc_url"] = f"{PUBLIC_DOC_BASE}#{anchor}"
        error["request_id"] = request_id
        return {
            "success": False,
            "error": error,
            "meta": {"requestId": request_id, "timestamp": timestamp},
        }

    # Constructors for the common cases, so call sites read as the D5 table does.
    @classmethod
    def missing(cls, param: str, message: str | None = None) -> ApiError:
        return cls(
            400, "parameter_missing", message or f"The '{param}' field is required.", param=param
        )

    @classmethod
    def invalid(cls, message: str, *, param: str | None = None) -> ApiError:
        return cls(400, "parameter_invalid", message, param=param)

    @classmethod
    def not_found(cls, resource: str, ident: str) -> ApiError:
        return cls(404, "resource_missing", f"No {resource} with id '{ident}'.", param="id")

    @classmethod
    def conflict(cls, message: str, *, param: str | None = None) -> ApiError:
        return cls(409, "resource_conflict", message, param=param)

    @classmethod
    def forbidden(cls, code: str, message: str) -> ApiError:
        return cls(403, code, message)
