"""Dinero's errors: one exception type, rendered once.

Dinero answers API errors with a lowerCamel JSON body (reference §2.8):
``{"code": 42, "message": "Validation Error", "validationErrors": {...},
"languageSpecificMessages": [...], "errorMessageList": [...]}``. Handlers raise
``DineroError``; the dispatcher turns it into the response, so no handler
formats an error itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .formats import shown

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
SERVER_ERROR = 50  # JAVA fixture
OLD_NO_PRO_SUBSCRIPTION = 48  # the older documentation's code for no Pro

DANISH_MESSAGES: dict[int, str] = {
    # Captured from a real answer (JAVA error_not_found fixture): Dinero's Danish
    # sentence is the code's general meaning, not a translation of the English one.
    ITEM_DELETED: "Da objektet er blevet slettet, kan du ikke rette i det.",
    # The rest are written by the fake in that style; Dinero's own are unknown.
    NOT_FOUND: "Det, du har bedt om, findes ikke. Tjek adressen og id'et.",
    UNAUTHORIZED: "Du har ikke rettigheder til at udføre handlingen på dette objekt.",
    VALIDATION: "De indsendte oplysninger er ikke gyldige. Ret felterne og prøv igen.",
    LIMIT_EXCEEDED: "En øvre eller nedre grænse er overskredet.",
    NO_DOCUMENT_LINES: "Bilaget skal have mindst én linje.",
    BAD_QUERY_FILTER: "Filteret (queryFilter) kan ikke forstås.",
    NO_ACCOUNTING_YEAR: "Datoen ligger ikke i et af organisationens regnskabsår.",
    OLD_NO_PRO_SUBSCRIPTION: "Organisationen har ikke et aktivt Dinero Pro-abonnement.",
    SERVER_ERROR: "Der er opstået en fejl hos Dinero. Prøv igen senere.",
    NO_RECEIVER_EMAIL: "Der er ingen modtager: angiv en, eller giv kontakten en e-mailadresse.",
    NO_EAN: "Kontakten har intet EAN-nummer.",
    INVALID_EAN: "EAN-nummeret er ikke gyldigt.",
    TIMESTAMP_OUTDATED: "Objektet er blevet ændret, siden du hentede det. Hent det igen og prøv igen.",
    NOT_BOOKED: "Bilaget er ikke bogført.",
    NO_ATT_PERSON: "Kontakten har ingen att. person.",
    CONTACT_WITHOUT_EMAIL: "Kontakten har ingen e-mailadresse.",
    LEDGER_FULL: "Kassekladden er fuld. Bogfør eller slet nogle posteringer først.",
    FILE_TYPE_NOT_ALLOWED: "Filtypen er ikke tilladt.",
    FILE_NAME_WITHOUT_TYPE: "Filnavnet mangler en filtype.",
    NOT_MULTIPART: "Filen skal sendes som multipart/form-data.",
    LEDGER_BUSY: "Der bliver allerede sat posteringer i kassekladden. Prøv igen om lidt.",
    NOT_OVERDUE: "Fakturaen er ikke forfalden.",
    SAME_VOUCHER_DATE: "Posteringer med samme bilagsnummer skal have samme dato.",
    SAME_VOUCHER_FILE: "Posteringer med samme bilagsnummer skal have samme fil.",
    UNKNOWN_ACCOUNT: "Kontoen findes ikke i kontoplanen.",
    SAME_VOUCHER_ID: "Posteringer med samme bilagsnummer skal have samme id.",
    DATE_RANGE_SPANS_YEARS: "Perioden strækker sig over mere end ét regnskabsår.",
    END_BEFORE_START: "Perioden slutter, før den begynder.",
    WINDOW_TOO_LONG: "Perioden er for lang.",
    UNKNOWN_DEPOSIT_ACCOUNT: "Modkontoen findes ikke i kontoplanen.",
    SAME_VOUCHER_VERSION: "Posteringer med samme bilagsnummer skal have samme version.",
    NO_PRO_SUBSCRIPTION: "Organisationen har ikke et aktivt Dinero Pro-abonnement.",
}
"""Dinero's Danish sentence for each of its error codes (``languageSpecificMessages``)."""

_DANISH_BY_STATUS: dict[int, str] = {
    400: "Forespørgslen er ikke gyldig.",
    401: "Du er ikke logget ind, eller din adgang er udløbet.",
    403: "Du har ikke adgang til dette.",
    404: "Det, du har bedt om, findes ikke.",
    413: "Filen er for stor.",
    429: "Du har sendt for mange forespørgsler. Vent et minut.",
    480: "Endpointet er forældet og fjernes snart, derfor blev din forespørgsel afvist.",
}
_DANISH_SERVER_ERROR = DANISH_MESSAGES[SERVER_ERROR]


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
        """Dinero's body, shaped as its captured not-found answer (JAVA fixture)::

            {"code": 65, "message": "Item is deleted",
             "validationErrors": {"message": "Invalid InvoiceGuid, the invoice is deleted."},
             "languageSpecificMessages": [
                 {"property": "message", "message": "Da objektet er blevet slettet, kan du ikke rette i det."},
                 {"property": "message", "message": "Invalid InvoiceGuid, the invoice is deleted."}],
             "errorMessageList": [{"Code": "message", "Message": "Invalid InvoiceGuid, the invoice is deleted."}]}

        So: the Danish sentence of the code, then the specific English sentence
        (the first validation error, else the message); and one ``errorMessageList``
        item per validation error whose ``Code`` is the property it is about (the
        capture's ``"Code": "message"`` names its validationErrors key, not the
        error code). Without validation errors the one item is the message's.
        """
        if self.code is None:
            return {"message": self.message}
        problems = [(str(name), str(text)) for name, text in self.validation_errors.items()] or [
            ("message", self.message)
        ]
        return {
            "code": self.code,
            "message": self.message,
            "validationErrors": dict(self.validation_errors),
            "languageSpecificMessages": [
                {"property": "message", "message": self.danish()},
                {"property": "message", "message": problems[0][1]},
            ],
            "errorMessageList": [{"Code": name, "Message": text} for name, text in problems],
        }

    def danish(self) -> str:
        """The Danish sentence: the error's own, its code's, else its status's."""
        if self.danish_message:
            return self.danish_message
        if self.code in DANISH_MESSAGES:
            return DANISH_MESSAGES[self.code]
        if self.status >= 500:
            return _DANISH_SERVER_ERROR
        return _DANISH_BY_STATUS.get(self.status, "Forespørgslen kunne ikke gennemføres.")


def validation_error(errors: dict[str, str], message: str = "Validation Error") -> DineroError:
    return DineroError(400, VALIDATION, message, errors)


def not_found(what: str, key: object) -> DineroError:
    """An id that names nothing in this organization.

    Unknown whether Dinero answers 404 or 400 here; 404 with code 40
    ("Not found") is chosen, matching the code's meaning.
    """
    return DineroError(
        404, NOT_FOUND, "Not found", {what: f"No {what} with id '{shown(key)}' was found."}
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
