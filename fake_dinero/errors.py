"""Dinero's errors: one exception type, rendered once.

Dinero answers API errors with a lowerCamel JSON body (reference §2.8):
``{"code": 42, "message": "Validation Error", "validationErrors": {...},
"languageSpecificMessages": [...]}``. Handlers raise ``DineroError``; the
dispatcher turns it into the response, so no handler formats an error itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Dinero's error codes (reference §2.8). Codes the reference marks unknown
# are chosen by us where they are used, and say so there.
NOT_FOUND = 40
UNAUTHORIZED = 41
VALIDATION = 42
LIMIT_EXCEEDED = 43
BAD_QUERY_FILTER = 46  # unknown in the reference; chosen by the fake
NO_DOCUMENT_LINES = 45  # JAVA fixture: "Invoices must have at least one invoice line"
TIMESTAMP_OUTDATED = 58
# Codes of the sales side. The reference lists them as unknown; the fake uses
# them for these refusals:
NO_RECEIVER_EMAIL = 55  # a voucher mail with no Receiver and a contact without e-mail
NO_EAN = 56  # an e-invoice to a contact without EAN number
INVALID_EAN = 57  # an EAN that is not 13 digits with a valid check digit
NOT_BOOKED = 59  # sending, paying or printing a draft
NO_ATT_PERSON = 62  # an e-invoice whose contact has no att. person
CONTACT_WITHOUT_EMAIL = 64  # a contact-level mail (state of account, reminders) with no address
NOT_OVERDUE = 74  # a reminder or pre-reminder on an invoice that is not overdue
ITEM_DELETED = 65
# Codes of the books. The reference lists them as unknown; the fake uses them
# for these refusals:
NO_ACCOUNTING_YEAR = 47  # a date (booking, report, entries) in no accounting year
LEDGER_FULL = 66  # more than 1000 ledger items in the ledger
LEDGER_BUSY = 70  # two ledger-item posts for one organization too close together
SAME_VOUCHER_DATE = 75  # ledger items sharing a voucher number with different dates
SAME_VOUCHER_FILE = 76  # ... with different files
UNKNOWN_ACCOUNT = 77  # a line's account is not in the chart
SAME_VOUCHER_ID = 78  # ... with different ids
DATE_RANGE_SPANS_YEARS = 82  # an entries period across two accounting years
END_BEFORE_START = 83  # a period whose end is before its start
WINDOW_TOO_LONG = 84  # an entries/changes window over 31 days
UNKNOWN_DEPOSIT_ACCOUNT = 86  # a line's balancing (deposit) account is not in the chart
SAME_VOUCHER_VERSION = 87  # ledger items sharing a voucher number with different versions
# Codes of files. The reference lists them as unknown; the fake uses them for
# these refusals:
FILE_TYPE_NOT_ALLOWED = 67  # an upload that is not PDF, JPEG, JPG, PNG or GIF
FILE_NAME_WITHOUT_TYPE = 68  # an upload whose name has no extension
NOT_MULTIPART = 69  # an upload whose body is not multipart/form-data
NO_PRO_SUBSCRIPTION = 90


@dataclass
class DineroError(Exception):
    """An answer other than success, with everything needed to render it.

    ``code=None`` renders the bare ASP.NET body ``{"message": ...}`` that the
    framework (not Dinero's own code) gives, e.g. for a missing bearer token.
    """

    status: int
    code: int | None
    message: str
    validation_errors: dict[str, str] = field(default_factory=dict)
    danish_message: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(f"{self.status} {self.code}: {self.message}")

    def body(self) -> dict[str, Any]:
        if self.code is None:
            return {"message": self.message}
        languages = [{"property": "message", "message": self.message}]
        if self.danish_message:
            languages.insert(0, {"property": "message", "message": self.danish_message})
        return {
            "code": self.code,
            "message": self.message,
            "validationErrors": dict(self.validation_errors),
            "languageSpecificMessages": languages,
        }


def validation_error(errors: dict[str, str], message: str = "Validation Error") -> DineroError:
    return DineroError(400, VALIDATION, message, errors)


def not_found(what: str, key: object) -> DineroError:
    """An id that names nothing in this organization.

    Unknown whether Dinero answers 404 or 400 here; 404 with code 40
    ("Not found") is chosen, matching the code's meaning.
    """
    return DineroError(
        404, NOT_FOUND, "Not found", {what: f"No {what} with id '{key}' was found."}
    )


def item_deleted(what: str, key: object) -> DineroError:
    """A change to something already deleted (JAVA fixture: code 65, "Item is deleted")."""
    return DineroError(
        400,
        ITEM_DELETED,
        "Item is deleted",
        {what: f"Invalid {what}, the item '{key}' is deleted."},
    )


def unauthorized(message: str = "Authorization has been denied for this request.") -> DineroError:
    """401 as ASP.NET's authorization filter gives it (reference §2.8 [INF])."""
    return DineroError(401, None, message, headers={"WWW-Authenticate": "Bearer"})


@dataclass
class OAuthError(Exception):
    """An error from a token endpoint, in OAuth 2.0's body (RFC 6749 §5.2)."""

    status: int
    error: str
    description: str | None = None

    def __post_init__(self) -> None:
        super().__init__(f"{self.status} {self.error}: {self.description}")

    def body(self) -> dict[str, str]:
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body
