"""Webhooks: the events there are, and a Visma Connect client's subscriptions to them.

The rules, the events and the deliveries are in ``domain.webhooks``; sending is
``webhook_delivery``'s. Dinero offers webhooks to one-to-many integrations
authorized through Visma Connect only (its analysis-integration guide); a legacy
token is refused before anything else is looked at.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..call import Call
from ..domain import webhooks
from ..domain.webhooks import WebhookEventReadModel, WebhookSubscriptionReadModel
from ..errors import UNAUTHORIZED, DineroError
from ..models import DineroModel
from ..routing import Routes

routes = Routes(tag="Webhooks")

PATH = "/v1/{organizationId}/webhooks"


class SubscribeToWebhookModel(DineroModel):
    Uri: Annotated[str | None, Field(json_schema_extra={"format": "uri"})] = None
    """Checked by the domain (an absolute http or https URI), so its message can say how to fix it."""
    EventId: str | None = None


class UnsubscribeFromWebhookModel(DineroModel):
    EventId: str | None = None


def _visma_client(call: Call) -> str:
    """The Visma Connect client a subscription belongs to.

    Dinero says a personal or legacy API-key integration cannot use webhooks but not
    what it answers; 403 with code 41 (insufficient permissions) is chosen, as for a
    Visma Connect token without the scope an operation needs.
    """
    grant = call.grant
    if grant is None or not grant.checks_scopes:
        raise DineroError(
            403,
            UNAUTHORIZED,
            "Webhooks are only for one-to-many integrations authorized through Visma Connect; "
            "a personal or API-key integration cannot use them. Log in through Visma Connect to subscribe.",
            danish_message="Webhooks er kun for integrationer, der er godkendt gennem Visma Connect; "
            "en personlig integration eller en API-nøgle kan ikke bruge dem.",
        )
    return grant.client_id


@routes.get(PATH + "/events", response=list[WebhookEventReadModel])
def list_webhook_events(call: Call) -> list[WebhookEventReadModel]:
    """Every event a subscription can name, with what it tells of (the event ids and
    this list's shape are the fake's choice: Dinero documents neither)."""
    _visma_client(call)
    return webhooks.events()


@routes.post(PATH + "/subscribe", body=SubscribeToWebhookModel)
def subscribe_to_webhook(call: Call) -> None:
    """Subscribe the calling Visma Connect client to an event; the events are then POSTed
    to Uri. Subscribing again to the same event replaces the Uri."""
    client_id = _visma_client(call)
    body = call.body(SubscribeToWebhookModel)
    webhooks.subscribe(call.organization, client_id, body.EventId, body.Uri)


@routes.get(PATH + "/subscriptions", response=list[WebhookSubscriptionReadModel])
def list_webhook_subscriptions(call: Call) -> list[dict]:
    """The calling client's subscriptions in the organization (another client's are not shown)."""
    client_id = _visma_client(call)
    table = call.organization.table(webhooks.SUBSCRIPTIONS)
    return [table.document(row) for row in webhooks.subscriptions(call.organization, client_id)]


@routes.delete(PATH + "/unsubscribe", body=UnsubscribeFromWebhookModel)
def unsubscribe_from_webhook(call: Call) -> None:
    """End the calling client's subscription to an event; deliveries still waiting are
    cancelled. Not being subscribed is no error."""
    client_id = _visma_client(call)
    body = call.body(UnsubscribeFromWebhookModel)
    webhooks.unsubscribe(call.organization, client_id, body.EventId)
