"""``fake-dinero``: the command line.

``fake-dinero serve`` runs the fake on one port that serves the API, the
legacy token route and Visma Connect, and prints what a new user needs to
call it.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shlex
import signal
import socket
import sys
from collections.abc import Sequence

from .control import SCENARIOS, seed_scenario
from .ratelimit import parse_rate_limit
from .world import (
    DEFAULT_API_KEY,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_VISMA_CLIENT_ID,
    DEFAULT_VISMA_CLIENT_SECRET,
    DEFAULT_VISMA_REDIRECT_URI,
    DEFAULT_VISMA_USER_EMAIL,
    ONE_TIME,
    REUSE,
    Settings,
    World,
)

DEMO_ORGANIZATION_ID = 123456


def _env(name: str, default: str) -> str:
    return os.environ.get(f"FAKE_DINERO_{name}", default)


def _flag(text: str) -> bool:
    """An on/off environment variable: 1, true, yes or on (any case) is on."""
    return text.strip().lower() in ("1", "true", "yes", "on")


def _rate_limit(text: str) -> int | None:
    try:
        return parse_rate_limit(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _scenario(text: str) -> str:
    if text not in SCENARIOS:
        raise argparse.ArgumentTypeError(f"unknown scenario {text!r}; use one of {', '.join(SCENARIOS)}")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fake-dinero", description="A stateful fake of the Dinero API.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (_, text) in TOOLS.items():
        commands.add_parser(name, help=text, add_help=False)
    serve = commands.add_parser(
        "serve",
        help="run the fake Dinero server",
        description="Run the fake Dinero API and its token route on one port. "
        "Every option can also be set by an environment variable FAKE_DINERO_<OPTION>.",
    )
    serve.add_argument("--host", default=_env("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(_env("PORT", "8765")), help="0 picks a free port")
    serve.add_argument("--seed", type=int, default=int(_env("SEED", "0")), help="same seed, same data and ids")
    serve.add_argument(
        "--rate-limit",
        type=_rate_limit,
        default=_rate_limit(_env("RATE_LIMIT", "100")),
        help="requests per minute per organization and client, or 'off' (default 100, as Dinero)",
    )
    serve.add_argument("--client-id", default=_env("CLIENT_ID", DEFAULT_CLIENT_ID))
    serve.add_argument("--client-secret", default=_env("CLIENT_SECRET", DEFAULT_CLIENT_SECRET))
    serve.add_argument("--api-key", default=_env("API_KEY", DEFAULT_API_KEY))
    serve.add_argument("--org-id", type=int, default=int(_env("ORG_ID", str(DEMO_ORGANIZATION_ID))))
    serve.add_argument("--contacts", type=int, default=int(_env("CONTACTS", "5")), help="demo contacts to seed")
    serve.add_argument("--products", type=int, default=int(_env("PRODUCTS", "5")), help="demo products to seed")
    serve.add_argument(
        "--scenario",
        type=_scenario,
        default=_env("SCENARIO", "") or None,
        help=f"also seed a named scenario: {', '.join(SCENARIOS)} "
        "('year' books last year in full and this one to date)",
    )
    visma = serve.add_argument_group("Visma Connect", "the client and user provisioned for the OAuth 2.0 login")
    visma.add_argument("--visma-client-id", default=_env("VISMA_CLIENT_ID", DEFAULT_VISMA_CLIENT_ID))
    visma.add_argument("--visma-client-secret", default=_env("VISMA_CLIENT_SECRET", DEFAULT_VISMA_CLIENT_SECRET))
    visma.add_argument(
        "--visma-redirect-uri",
        action="append",
        help=f"registered redirect URI, repeatable (default {DEFAULT_VISMA_REDIRECT_URI}; "
        "FAKE_DINERO_VISMA_REDIRECT_URI takes several, space-separated)",
    )
    visma.add_argument(
        "--refresh-token-usage",
        choices=[ONE_TIME, REUSE],
        default=_env("REFRESH_TOKEN_USAGE", ONE_TIME),
        help="onetime: each refresh rotates the refresh token; reuse: the same one comes back",
    )
    visma.add_argument(
        "--visma-require-pkce",
        action=argparse.BooleanOptionalAction,
        default=_flag(_env("VISMA_REQUIRE_PKCE", "")),
        help="the client refuses a login without code_challenge (default off: PKCE is a per-application "
        "setting in Visma Connect and is verified whenever a client sends it)",
    )
    visma.add_argument(
        "--connect-config",
        default=_env("CONNECT_CONFIG", "") or None,
        metavar="FILE",
        help="JSON file with more Visma Connect clients, users and organizations",
    )
    serve.add_argument(
        "--import",
        dest="import_file",
        default=_env("IMPORT", "") or None,
        metavar="FILE",
        help="start from a snapshot file (written by --export-on-exit or GET /_fake/state)",
    )
    serve.add_argument(
        "--export-on-exit",
        default=_env("EXPORT_ON_EXIT", "") or None,
        metavar="FILE",
        help="write a snapshot of the state to FILE when the server stops",
    )
    return parser


TOOLS = {
    "openapi": ("contracts.openapi", "write the fake's OpenAPI document"),
    "coverage": ("contracts.conformance", "compare the fake's document with Dinero's; write contracts/COVERAGE.md"),
    "contract": ("contracts.suite", "check a Dinero base URL (the fake or a real organization) against the contract"),
}
"""Commands that are tools of their own module: ``fake-dinero NAME ARGS`` runs ``module.main(ARGS)``."""


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in TOOLS:
        module = importlib.import_module(TOOLS[argv[0]][0])
        return int(module.main(argv[1:]))
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    return 2  # pragma: no cover - argparse refuses unknown commands first


def redirect_uris(args: argparse.Namespace) -> list[str]:
    # Resolved here, not as argparse's default: "append" would add to a default list.
    return args.visma_redirect_uri or _env("VISMA_REDIRECT_URI", DEFAULT_VISMA_REDIRECT_URI).split()


def build_world(args: argparse.Namespace) -> World:
    """The demo world ``serve`` runs: the organization, its legacy credentials, and one
    Visma Connect client with a user who reaches the organization, plus the config's."""
    world = World.with_demo(
        seed=args.seed,
        settings=Settings(rate_limit=args.rate_limit),
        organization_id=args.org_id,
        client_id=args.client_id,
        client_secret=args.client_secret,
        api_key=args.api_key,
        contacts=args.contacts,
        products=args.products,
    )
    if args.scenario:
        seed_scenario(world.organizations[args.org_id], args.scenario)
    world.add_demo_connect(
        args.visma_client_id,
        args.visma_client_secret,
        redirect_uris(args),
        args.refresh_token_usage,
        require_pkce=args.visma_require_pkce,
    )
    if args.connect_config:
        world.load_connect_config(args.connect_config)
    return world


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .asgi import create_app
    from .fake import FakeDinero

    try:
        fake = FakeDinero(build_world(args))
        if args.import_file:
            fake.control.import_(args.import_file)
    except (OSError, ValueError, KeyError) as exc:
        print(f"fake-dinero: {exc}", file=sys.stderr)
        return 1
    listener = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((args.host, args.port))
    except OSError as exc:
        print(f"fake-dinero: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    listener.listen(128)
    port = listener.getsockname()[1]

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:  # serving, and Ctrl-C / SIGTERM now stop it cleanly
                print(banner(args, port), flush=True)

    config = uvicorn.Config(create_app(fake), log_level="warning", lifespan="off")
    # uvicorn shuts down gracefully on SIGINT/SIGTERM and then re-raises the
    # signal to the handler that was there before it; make that handler a
    # quiet one so a requested stop ends with status 0.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, _stop_requested)
    Server(config).run(sockets=[listener])
    if args.export_on_exit:
        fake.control.export(args.export_on_exit)
        print(f"fake-dinero: state written to {args.export_on_exit}", flush=True)
    print("fake-dinero: stopped", flush=True)
    return 0


def _stop_requested(signum: int, frame: object) -> None:
    """The stop was asked for and uvicorn has already served it."""


def banner(args: argparse.Namespace, port: int) -> str:
    host = f"[{args.host}]" if ":" in args.host else args.host
    base = f"http://{host}:{port}"
    token_url = f"{base}/dineroapi/oauth/token"
    q = shlex.quote
    get_token = (
        f"curl -s -u {q(args.client_id + ':' + args.client_secret)} "
        f"-d grant_type=password -d username={q(args.api_key)} -d password={q(args.api_key)} "
        f"-d 'scope=read write' {token_url}"
    )
    extract = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])'"
    rate = "off" if args.rate_limit is None else f"{args.rate_limit} requests/minute"
    visma = [
        "Visma Connect (OAuth 2.0 / OpenID Connect, for one-to-many integrations):",
        f"  discovery URL        {base}/.well-known/openid-configuration",
        f"  authorize URL        {base}/connect/authorize",
        f"  connect token URL    {base}/connect/token",
        f"  visma client id      {args.visma_client_id}",
        f"  visma client secret  {args.visma_client_secret}",
        *(f"  visma redirect URI   {uri}" for uri in redirect_uris(args)),
        f"  refresh tokens       {args.refresh_token_usage}",
        f"  PKCE                 {'required' if args.visma_require_pkce else 'verified-when-sent'}",
        f"  visma user           {DEFAULT_VISMA_USER_EMAIL}",
    ]
    if args.connect_config:
        visma.append(f"  connect config       {args.connect_config}")
    return "\n".join(
        [
            "fake-dinero is serving a fake Dinero API",
            f"  base URL       {base}",
            f"  token URL      {token_url}",
            f"  client id      {args.client_id}",
            f"  client secret  {args.client_secret}",
            f"  API key        {args.api_key}",
            f"  organization   {args.org_id}",
            f"  rate limit     {rate}",
            f"  seed           {args.seed}",
            *([f"  scenario       {args.scenario}"] if args.scenario else []),
            "Try it:",
            f"  TOKEN=$({get_token} | {extract})",
            f'  curl -s -H "Authorization: Bearer $TOKEN" {base}/v1/{args.org_id}/contacts',
            *visma,
            "Stop with Ctrl-C.",
        ]
    )


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
