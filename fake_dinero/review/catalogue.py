"""Every check the review makes: a stable id, a title, its usual severity, why Dinero
cares (its own words in quotation marks, the rest said plainly as ours) and the fix.

Severities: ``error`` for what Dinero names as grounds to revoke access or what fails
against the real API; ``warning`` for calls Dinero would have answered at less cost;
``info`` for heuristics, which guess at intent from the shape of the calls.
"""

from __future__ import annotations

from .model import Check

REVIEW = ('Dinero holds a technical review with every integration partner before launch, '
          '"to ensure your use of the Dinero api is as performant as possible".')
REVOKE = ('Dinero monitors live usage: an integration that exhausts the API or that '
          '"hit a lot of 400, 401 or 403 requests" can have its access revoked.')
RATE = ("Dinero admits 100 requests a minute per organization and client (ClientID); over that it answers "
        "429 with a body that begins \"API calls quota exceeded!\".")
SPECIFIC = ("Dinero asks integrations to use the most specific endpoint for what they book: an expense is a "
            "purchase voucher; a sale invoiced outside Dinero is a manual voucher with the invoice attached.")

RATE_429 = Check(
    "rate.429-received", "The rate limit was reached", "warning",
    f"{RATE} {REVOKE}",
    "Stay under the limit: pace calls per organization and client (e.g. at most 90 a minute), and need fewer "
    "of them (pageSize=1000, changesSince, fields).",
)
RATE_HAMMERED = Check(
    "rate.429-hammered", "Called again before Retry-After had passed", "error",
    f"{RATE} The 429 carries Retry-After, the seconds until the client may call again. {REVOKE}",
    "After a 429, wait the Retry-After seconds before the next call for that organization and client "
    "(every call, not only the refused one), then go on at a pace under the limit.",
)
RATE_BURST = Check(
    "rate.burst-over-limit", "More calls in a minute than Dinero admits", "error",
    f"{RATE} Counted here on the fake's clock whether or not the fake's own limit was on, so a test run "
    "without the limit still shows where production would refuse calls.",
    "Pace calls per organization and client under the limit, and make fewer: pageSize=1000, changesSince "
    "instead of full reads, fields instead of one GET per item.",
)
ERROR_STORM = Check(
    "errors.storm", "A run of 400, 401 or 403 answers", "error",
    REVOKE,
    "Stop after the first refusals and act on them: 401 means get a new token, 403 that the organization "
    "gives no access (or has no Pro), 400 that the request is wrong (validationErrors says how). Check input "
    "before sending instead of letting Dinero refuse it.",
)
REPEATED = Check(
    "errors.repeated-request", "The same refused request sent again", "warning",
    f"A 4xx answer is Dinero's final word on that request; sending it unchanged gets the same answer. {REVOKE}",
    "Fix the request (the answer's validationErrors names the property) instead of resending it. Retry "
    "unchanged only after a 429 (once Retry-After has passed) or a 5xx.",
)
LOGINS = Check(
    "auth.login-per-call", "Logging in again while the token is still valid", "warning",
    f"A Dinero access token lives an hour (expires_in 3600); every extra login is one more call. {REVIEW}",
    "Keep the token and reuse it for every call until shortly before expires_in runs out: one login (or "
    "refresh) per organization per token lifetime.",
)
NOT_REFRESHED = Check(
    "auth.401-not-refreshed", "Calling on after a 401 without a new token", "error",
    f"401 means the token is missing, invalid or expired: every further call with it is refused too. {REVOKE}",
    "On a 401, get a new token (refresh token or the password grant) before the next call; never resend "
    "with the token that was refused.",
)
FULL_REREAD = Check(
    "sync.full-reread", "A list read in full again and again", "warning",
    f"Dinero's lists take changesSince: only the items created, updated or deleted since then. {REVIEW}",
    "Read the list in full once, then sync with changesSince set to when the previous sync started (it "
    "includes deleted items, so nothing is missed).",
)
SMALL_PAGES = Check(
    "sync.small-pages", "Paging with a pageSize below 1000", "warning",
    f'Every page is one call against the limit; Dinero\'s pageSize is "Maximum 1000" (default 100). {REVIEW}',
    "Ask for pageSize=1000: one call where this read made several.",
)
N_PLUS_ONE = Check(
    "sync.n-plus-one", "Fetching one by one the items a list had answered", "warning",
    "A Dinero list returns any of its items' properties through its fields parameter, so one list call can "
    f"answer what one GET per item does. Counted only where the list's model holds every property the item's "
    f"GET answered. {REVIEW}",
    "Ask the list for the properties you need (fields=Name,ContactGuid,Email,...) instead of GETting each item.",
)
POLLING = Check(
    "sync.polling", "Polling an unchanged resource", "warning",
    f"Each poll is one call against the limit, and these all got the same answer. {REVIEW}",
    "Poll less often, ask only for changes (changesSince), or subscribe to Dinero's webhooks (Visma Connect "
    "apps) and read when told something changed.",
)
UNSUPPORTED_FILTER = Check(
    "query.unsupported-filter", "Filter or paging parameters the operation does not take", "warning",
    "Dinero filters only where an endpoint supports it; Dinero's document lists each operation's "
    "parameters. A parameter the operation does not have is ignored (as ASP.NET ignores query values it does "
    "not bind), so the call answers everything the client meant to filter out.",
    "Send only the parameters Dinero's document lists for the operation; filter on your side, or use an "
    "operation that takes the filter.",
)
UNUSED_FILE = Check(
    "files.never-used", "Files uploaded and never used", "warning",
    '"Make sure you use the file for something": an upload goes into the organization\'s file archive and '
    "stays there, unseen, until a voucher, ledger item or invoice refers to it.",
    "Upload a file only when it is to be attached: give its FileGuid to a purchase voucher, manual voucher or "
    "ledger item, or bind it to an invoice with /attachments; upload invoice-only attachments to "
    "/files/attachment.",
)
LEDGER_CONCURRENT = Check(
    "ledger.concurrent-posts", "Ledger items posted concurrently for one organization", "error",
    "Dinero refuses ledger items posted concurrently for one organization (400, error code 70): the ledger "
    "takes one post at a time.",
    "Post ledger items for one organization one request at a time, waiting for each answer; send many items "
    "in one request's array instead of many requests at once.",
)
EXPENSE_AS_MANUAL = Check(
    "booking.expense-as-manual-voucher", "A manual voucher that looks like an expense (heuristic)", "info",
    f"{SPECIFIC} A purchase voucher keeps the supplier, the due date and the payment, which a manual voucher "
    "does not. This is a guess from the lines: an expense account, a bank or creditor balancing account or "
    "an incoming VAT code, and a file.",
    "If this is a supplier's bill, create a purchase voucher (POST /v1.2/{organizationId}/vouchers/purchase) "
    "with the file; if it is not, ignore this hint.",
    heuristic=True,
)
OWN_INVOICE = Check(
    "booking.own-invoice-as-dinero-invoice", "An invoice booked and paid in full at once (heuristic)", "info",
    f"{SPECIFIC} This is a guess: the invoice was booked, never sent from Dinero, and paid in full on its own "
    "date minutes later, by an integration that also uploads files, as a shop that issues its own invoices "
    "would.",
    "If your system issues and sends the invoice, book the sale as a manual voucher with your invoice's "
    "FileGuid; if Dinero is to send it, send it from Dinero and record the payment when it arrives.",
    heuristic=True,
)
UNKNOWN_OPERATION = Check(
    "api.unknown-operation", "Calls to operations Dinero does not have", "error",
    "Dinero answers a path none of its operations has with 404 (an HTML page, not its error body).",
    "Call the operation Dinero's document lists; the evidence names the nearest one.",
)
DEPRECATED = Check(
    "api.deprecated-operation", "Deprecated or removed operations", "warning",
    "Dinero retires operations: it marks them deprecated in its document, answers \"480 Brownout: The "
    "endpoint you are using is deprecated and about to be removed\" at random in an operation's last days, "
    "and then removes it.",
    "Move to the successor the evidence names before the operation goes.",
)

CHECKS: tuple[Check, ...] = (
    RATE_429, RATE_HAMMERED, RATE_BURST,
    ERROR_STORM, REPEATED, LOGINS, NOT_REFRESHED,
    FULL_REREAD, SMALL_PAGES, N_PLUS_ONE, POLLING, UNSUPPORTED_FILTER,
    UNUSED_FILE, LEDGER_CONCURRENT, EXPENSE_AS_MANUAL, OWN_INVOICE,
    UNKNOWN_OPERATION, DEPRECATED,
)
"""In the order a report lists them."""
BY_ID = {check.id: check for check in CHECKS}
