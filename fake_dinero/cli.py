"""``fake-dinero``: the command line.

``fake-dinero serve`` runs the fake on one port that serves the API, the
legacy token route and Visma Connect, and prints what a new user needs to
call it.
"""

from __future__ import annotations

import argparse
import importlib
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Sequence

from . import __version__
from .cli_values import (
    ENV_PREFIX,
    Parser,
    count_value,
    env_option,
    flag_value,
    organization_id_value,
    port_value,
    rate_limit_value,
    readable_file,
    refresh_token_usage_value,
    scenario_value,
    seed_value,
    text_value,
    uris_value,
    writable_file,
)
from .control import SCENARIOS
from .control_access import ControlAccess, is_loopback
from .options import DEFAULT_VISMA_USER_EMAIL, SERVE_DEFAULTS, DineroOptions
from .request_log import ConsoleWriter, RequestLog, wants_colour
from .world import World

SHUTDOWN_SECONDS = 5
"""How long a stop waits for open requests (a client stuck mid-body, a long latency fault)
before it cuts them; the snapshot of --export-on-exit is written either way."""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="fake-dinero", description="A stateful fake of the Dinero API.")
    parser.add_argument("--version", action="version", version=f"fake-dinero {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (_, text) in TOOLS.items():
        commands.add_parser(name, help=text, add_help=False)
    serve = commands.add_parser(
        "serve",
        help="run the fake Dinero server",
        description="Run the fake Dinero API and its token route on one port. "
        f"Every option can also be set by an environment variable {ENV_PREFIX}<OPTION>; a flag wins.",
    )
    env_option(serve, "--host", "HOST", "127.0.0.1", "address to listen on", parse=text_value)
    env_option(serve, "--port", "PORT", 8765, "port to listen on; 0 picks a free port", parse=port_value)
    env_option(serve, "--seed", "SEED", SERVE_DEFAULTS.seed, "same seed, same data and ids", parse=seed_value)
    env_option(
        serve, "--rate-limit", "RATE_LIMIT", SERVE_DEFAULTS.rate_limit,
        "requests per minute per organization and client, or 'off'; Dinero's is 100", parse=rate_limit_value,
    )  # fmt: skip
    env_option(serve, "--client-id", "CLIENT_ID", SERVE_DEFAULTS.client_id, "legacy API client id", parse=text_value)
    env_option(serve, "--client-secret", "CLIENT_SECRET", SERVE_DEFAULTS.client_secret, "legacy API client secret",
            parse=text_value)  # fmt: skip
    env_option(serve, "--api-key", "API_KEY", SERVE_DEFAULTS.api_key, "the organization's API key", parse=text_value)
    env_option(serve, "--org-id", "ORG_ID", SERVE_DEFAULTS.organization_id, "the demo organization's id",
            parse=organization_id_value)  # fmt: skip
    env_option(serve, "--contacts", "CONTACTS", SERVE_DEFAULTS.contacts, "demo contacts to seed", parse=count_value)
    env_option(serve, "--products", "PRODUCTS", SERVE_DEFAULTS.products, "demo products to seed", parse=count_value)
    env_option(
        serve, "--scenario", "SCENARIO", SERVE_DEFAULTS.scenario,
        f"also seed a named scenario: {', '.join(SCENARIOS)} ('year' books last year in full and this one to date)",
        parse=scenario_value,
    )  # fmt: skip
    env_option(
        serve, "--import", "IMPORT", None,
        "start from a snapshot file (written by --export-on-exit or GET /_fake/state)",
        parse=readable_file, dest="import_file", metavar="FILE",
    )  # fmt: skip
    env_option(
        serve, "--export-on-exit", "EXPORT_ON_EXIT", None,
        "write a snapshot of the state to FILE when the server stops",
        parse=writable_file, metavar="FILE",
    )  # fmt: skip
    control = serve.add_argument_group(
        "control plane", "who may call /_fake/ over HTTP (reset, seed, state, faults, journal)"
    )
    env_option(
        control, "--allowed-host", "ALLOWED_HOSTS", [],
        "a Host name the control plane answers for besides loopback names and --host, repeatable "
        "(the variable takes several, space-separated; '*' allows any)",
        parse=uris_value, shown="none", action="append", metavar="NAME",
    )  # fmt: skip
    env_option(
        control, "--control-token", "CONTROL_TOKEN", None,
        "a token every control call must send in X-Fake-Dinero-Token; made up at start when --host is not loopback",
        parse=text_value, metavar="TOKEN",
    )  # fmt: skip
    log = serve.add_argument_group("request log", "one line per request on standard output")
    env_option(log, "--quiet", "QUIET", False, "log no requests", parse=flag_value, shown="off",
            action=argparse.BooleanOptionalAction)  # fmt: skip
    env_option(log, "--log-bodies", "LOG_BODIES", False,
               "add the request's and the answer's bodies, credentials redacted",
               parse=flag_value, shown="off", action=argparse.BooleanOptionalAction)  # fmt: skip
    env_option(log, "--log-json", "LOG_JSON", False,
            "log JSON lines for tools (the banner and other messages go to standard error)",
            parse=flag_value, shown="off", action=argparse.BooleanOptionalAction)  # fmt: skip
    visma = serve.add_argument_group("Visma Connect", "the client and user provisioned for the OAuth 2.0 login")
    env_option(visma, "--visma-client-id", "VISMA_CLIENT_ID", SERVE_DEFAULTS.visma_client_id, "Visma Connect client id",
            parse=text_value)  # fmt: skip
    env_option(visma, "--visma-client-secret", "VISMA_CLIENT_SECRET", SERVE_DEFAULTS.visma_client_secret,
            "Visma Connect client secret", parse=text_value)  # fmt: skip
    env_option(
        visma, "--visma-redirect-uri", "VISMA_REDIRECT_URI", list(SERVE_DEFAULTS.visma_redirect_uris),
        "registered redirect URI, repeatable; the environment variable takes several, space-separated",
        parse=uris_value, shown=" ".join(SERVE_DEFAULTS.visma_redirect_uris), action="append", metavar="URI",
    )  # fmt: skip
    env_option(
        visma, "--refresh-token-usage", "REFRESH_TOKEN_USAGE", SERVE_DEFAULTS.refresh_token_usage,
        "onetime: each refresh rotates the refresh token; reuse: the same one comes back",
        parse=refresh_token_usage_value, metavar="{onetime,reuse}",
    )  # fmt: skip
    env_option(
        visma, "--visma-require-pkce", "VISMA_REQUIRE_PKCE", SERVE_DEFAULTS.visma_require_pkce,
        "the client refuses a login without code_challenge (PKCE is a per-application setting in Visma "
        "Connect and is verified whenever a client sends it)",
        parse=flag_value, shown="off", action=argparse.BooleanOptionalAction,
    )  # fmt: skip
    env_option(
        visma, "--connect-config", "CONNECT_CONFIG", None, "JSON file with more Visma Connect clients, users "
        "and organizations", parse=readable_file, metavar="FILE",
    )  # fmt: skip
    return parser


TOOLS = {
    "openapi": ("fake_dinero.contracts.openapi", "write the fake's OpenAPI document"),
    "coverage": (
        "fake_dinero.contracts.conformance", "compare the fake's document with Dinero's (--write FILE for the report)"
    ),
    "contract": (
        "fake_dinero.contracts.suite", "check a Dinero base URL (the fake or a real organization) against the contract"
    ),
    "review": (
        "fake_dinero.review.cli", "Dinero's integration review of a fake's journal (--base-url URL or --journal FILE)"
    ),
}
"""Commands that are tools of their own module: ``fake-dinero NAME ARGS`` runs ``module.main(ARGS)``."""


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in TOOLS:
        return run_tool(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    return 2  # pragma: no cover - argparse refuses unknown commands first


def run_tool(name: str, argv: list[str]) -> int:
    """A tool's own ``main``; a file it cannot read or write is one line and status 2."""
    module = importlib.import_module(TOOLS[name][0])
    try:
        return int(module.main(argv))
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"fake-dinero {name}: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2


def redirect_uris(args: argparse.Namespace) -> list[str]:
    return list(args.visma_redirect_uri)


def serve_options(args: argparse.Namespace) -> DineroOptions:
    """``serve``'s command line as the options every other way of making a fake takes."""
    return SERVE_DEFAULTS.replace(
        seed=args.seed,
        rate_limit=args.rate_limit,
        organization_id=args.org_id,
        client_id=args.client_id,
        client_secret=args.client_secret,
        api_key=args.api_key,
        contacts=args.contacts,
        products=args.products,
        scenario=args.scenario,
        visma_client_id=args.visma_client_id,
        visma_client_secret=args.visma_client_secret,
        visma_redirect_uris=tuple(redirect_uris(args)),
        refresh_token_usage=args.refresh_token_usage,
        visma_require_pkce=args.visma_require_pkce,
    )


def build_world(args: argparse.Namespace) -> World:
    """The demo world ``serve`` runs (``DineroOptions.build_world``), plus the Visma
    Connect config's clients, users and organizations."""
    world = serve_options(args).build_world()
    if args.connect_config:
        try:
            world.load_connect_config(args.connect_config)
        except (OSError, ValueError) as exc:
            raise BadFile("--connect-config", args.connect_config, exc) from exc
    return world


class BadFile(Exception):
    """A file an option names could not be used; says which option and why, in one line."""

    def __init__(self, option: str, path: str, cause: Exception) -> None:
        super().__init__(f"{option} {path}: {one_line(cause)}")


def one_line(error: Exception) -> str:
    """An error's message on one line (pydantic's and json's span several)."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("For further information")]
    return "; ".join(lines) or type(error).__name__


def request_log(args: argparse.Namespace) -> RequestLog | None:
    """The console log ``serve`` writes, or None with ``--quiet``."""
    if args.quiet:
        return None
    return RequestLog(
        ConsoleWriter(sys.stdout), bodies=args.log_bodies, as_json=args.log_json, colour=wants_colour(sys.stdout)
    )


def control_access(args: argparse.Namespace) -> ControlAccess:
    """The control plane's rules for this server: a token is needed (the one given, or a
    new random one) whenever the server listens beyond this machine."""
    token = args.control_token
    if token is None and not is_loopback(args.host):
        token = secrets.token_urlsafe(18)
    return ControlAccess.for_server(args.host, tuple(args.allowed_host), token)


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .asgi import create_app
    from .fake import FakeDinero
    from .live import listening_socket, server_config

    # With JSON lines on standard output, what a person reads goes to standard error.
    say = sys.stderr if args.log_json and not args.quiet else sys.stdout
    try:
        fake = FakeDinero(build_world(args))
        if args.import_file:
            try:
                fake.control.import_(args.import_file)
            except (OSError, ValueError) as exc:
                raise BadFile("--import", args.import_file, exc) from exc
    except BadFile as exc:
        print(f"fake-dinero serve: {exc}", file=sys.stderr)
        return 2
    listener = listening_socket(args.host)
    try:
        listener.bind((args.host, args.port))
    except socket.gaierror as exc:
        print(f"fake-dinero serve: --host {args.host}: {exc.strerror}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"fake-dinero: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    listener.listen(128)
    port = listener.getsockname()[1]

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:  # serving, and Ctrl-C / SIGTERM now stop it cleanly
                print(banner(args, port, access), file=say, flush=True)

    log = request_log(args)
    access = control_access(args)
    config = server_config(create_app(fake, log, access), timeout_graceful_shutdown=SHUTDOWN_SECONDS)
    # uvicorn shuts down gracefully on SIGINT/SIGTERM and then re-raises the
    # signal to the handler that was there before it; make that handler a
    # quiet one so a requested stop ends with status 0.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, _stop_requested)
    Server(config).run(sockets=[listener])
    if log is not None and isinstance(log.write, ConsoleWriter):
        log.write.close()
    if args.export_on_exit:
        fake.control.export(args.export_on_exit)
        print(f"fake-dinero: state written to {args.export_on_exit}", file=say, flush=True)
    print("fake-dinero: stopped", file=say, flush=True)
    return 0


def _stop_requested(signum: int, frame: object) -> None:
    """The stop was asked for and uvicorn has already served it."""


def banner(args: argparse.Namespace, port: int, access: ControlAccess | None = None) -> str:
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
            *_control_lines(args, access),
            "Stop with Ctrl-C.",
        ]
    )


def _control_lines(args: argparse.Namespace, access: ControlAccess | None) -> list[str]:
    if access is None:
        return []
    hosts = "any" if "*" in access.allowed_hosts else ", ".join(sorted(access.allowed_hosts))
    lines = ["Control plane (/_fake/: reset, seed, state, faults, journal):", f"  answers for   {hosts}"]
    if access.token is not None:
        lines += [f"  token         {access.token}", "  send it in    X-Fake-Dinero-Token"]
    if not is_loopback(args.host):
        lines.append(
            f"  warning       listening on {args.host}: other machines can reach the API with the credentials above"
        )
    return lines


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
