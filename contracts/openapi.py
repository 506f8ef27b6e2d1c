"""The fake's own OpenAPI 3.1 document, generated from its route table and models.

The route table and the pydantic models are the single source of truth: this
module never copies Dinero's text. Schemas follow the conventions of Dinero's
(Swashbuckle) document so the two compare property by property: nullable
types as ``type: ["null", T]``, and every non-nullable property required.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import models_json_schema

from fake_dinero.routing import Operation, RouteTable

REF = "#/components/schemas/{model}"
VERSION = "0.1.0"

_SCOPES = {"GET": "dineropublicapi:read"}
_WRITE = "dineropublicapi:write"

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Dinero's error body (lowerCamel, unlike success bodies).",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "integer", "format": "int32"},
        "message": {"type": "string"},
        "validationErrors": {"type": "object", "additionalProperties": {"type": "string"}},
        "languageSpecificMessages": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"property": {"type": "string"}, "message": {"type": "string"}},
            },
            "description": "The code's Danish sentence, then the specific English one.",
        },
        "errorMessageList": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"Code": {"type": "string"}, "Message": {"type": "string"}},
            },
            "description": "One item per problem: the property it is about and the English sentence.",
        },
    },
}

OAUTH_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An OAuth 2.0 error (RFC 6749 §5.2).",
    "required": ["error"],
    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
}

TAGS = {
    "ListOrganizations": "Organizations the token reaches",
    "Countries": "Countries",
    "Contacts": "Contacts and their notes",
    "Products": "Products",
    "Legacy authentication": "The API-key password grant of personal integrations (authz.dinero.dk)",
    "Visma Connect": "OAuth 2.0 / OpenID Connect for one-to-many integrations (connect.visma.com)",
    "Control plane (fake only)": "fake-dinero's test controls; Dinero has none of these",
    "Contract": "This document",
}


@cache
def served_document() -> dict[str, Any]:
    """The document of the fake's own route table (built once per process)."""
    from ..route_table import ROUTE_TABLE

    return build_document(ROUTE_TABLE)


def build_document(table: RouteTable) -> dict[str, Any]:
    models: dict[type[BaseModel], str] = {}
    paths: dict[str, dict[str, Any]] = {}
    for operation in table.operations:
        paths.setdefault(operation.path, {})[operation.method.lower()] = _operation(operation, models)
    _add_links(table, paths)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "fake-dinero",
            "version": VERSION,
            "description": "A stateful fake of the Dinero API. Paths, parameters and models follow "
            "Dinero's own document; the control plane (/_fake/) and the token servers are the fake's.",
        },
        "tags": [{"name": name, "description": text} for name, text in TAGS.items()],
        "paths": paths,
        "components": {
            "schemas": {**_schemas(models), "DineroError": ERROR_SCHEMA, "OAuthError": OAUTH_ERROR_SCHEMA},
            "securitySchemes": {"OAuth2": _oauth2()},
        },
    }


def _operation(operation: Operation, models: dict[type[BaseModel], str]) -> dict[str, Any]:
    document: dict[str, Any] = {"tags": [operation.tag] if operation.tag else [], "summary": operation.summary}
    if operation.description:
        document["description"] = operation.description
    parameters = [_path_parameter(name, operation.integer_params) for name in operation.params]
    parameters += [_query_parameter(param) for param in operation.query]
    if parameters:
        document["parameters"] = parameters
    if operation.body is not None:
        media = "application/x-www-form-urlencoded" if operation.form else "application/json"
        document["requestBody"] = {
            "required": not operation.body_optional,
            "content": {media: {"schema": _schema_of(operation.body, models, "validation")}},
        }
    if operation.multipart:
        parts = {name: {"type": "string", "format": "binary"} for name in operation.multipart}
        document["requestBody"] = {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "required": list(parts), "properties": parts},
                    "encoding": {name: {} for name in parts},
                }
            },
        }
    ok: dict[str, Any] = {"description": "OK"}
    if operation.response is not None:
        ok["content"] = {"application/json": {"schema": _schema_of(operation.response, models, "serialization")}}
    if operation.pdf:
        ok.setdefault("content", {})["application/octet-stream"] = {"schema": {"type": "string", "format": "binary"}}
    for media in operation.binary:
        ok.setdefault("content", {})[media] = {"schema": {"type": "string", "format": "binary"}}
    responses: dict[str, Any] = {"200": ok}
    for status in _answers(operation):
        responses[str(status)] = _answer(status, operation.answer_body)
    document["responses"] = responses
    if operation.public:
        document["security"] = []
    else:
        document["security"] = [{"OAuth2": [_SCOPES.get(operation.method, _WRITE)]}]
    return document


_DINERO_ANSWERS = (400, 401, 403, 404, 429)
_DESCRIPTIONS = {
    302: "Redirect to the client's redirect URI (or the consent page)",
    400: "Bad request",
    401: "No, an expired, or another organization's token (or a bad client)",
    403: "No Pro subscription (code 90) or a missing scope (code 41)",
    404: "Not found (code 40); an unknown route is an HTML page",
    429: "More than 100 calls a minute: 'API calls quota exceeded!'",
}


def _answers(operation: Operation) -> tuple[int, ...]:
    if operation.answers is not None:
        return operation.answers
    return _DINERO_ANSWERS if operation.upstream else (400,)


def _answer(status: int, body: str) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": _DESCRIPTIONS.get(status, "")}
    if status == 302:
        return answer
    if status == 429:
        answer["content"] = {"text/plain": {"schema": {"type": "string"}}}
    elif status == 401 and body == "DineroError":
        answer["content"] = {"application/json": {"schema": {"type": "object"}}}
    elif body == "html":
        answer["content"] = {"text/html": {"schema": {"type": "string"}}}
    else:
        answer["content"] = {"application/json": {"schema": {"$ref": REF.format(model=body)}}}
    return answer


def _add_links(table: RouteTable, paths: dict[str, dict[str, Any]]) -> None:
    """OpenAPI links from each create to the operations on what it created, so a
    stateful client (schemathesis) can follow Dinero's flows: ``POST .../contacts``
    answers ``{ContactGuid}``, which every ``.../contacts/{guid}...`` operation takes.

    The rule is Dinero's own shape: a POST whose answer names what it made (see
    ``_created_guid``) links to the operations whose path (on any version) continues its path with one
    parameter and then only literal segments.
    """
    for create in table.operations:
        guid = _created_guid(create)
        if guid is None:
            continue
        base = _unversioned(create.path)
        links: dict[str, Any] = {}
        for target in table.operations:
            rest = _unversioned(target.path)[len(base) :] if _unversioned(target.path).startswith(base) else ""
            segments = rest.split("/")[1:]
            if not segments or not segments[0].startswith("{") or any("{" in part for part in segments[1:]):
                continue
            parameters = {segments[0][1:-1]: f"$response.body#/{guid}"}
            parameters.update({name: f"$request.path.{name}" for name in create.params})
            version = target.path.split("/")[1]
            name = target.handler.__name__.title().replace("_", "") + ("" if version == "v1" else version.upper())
            pointer = target.path.replace("~", "~0").replace("/", "~1")
            links[name] = {"operationRef": f"#/paths/{pointer}/{target.method.lower()}", "parameters": parameters}
        if links:
            paths[create.path][create.method.lower()]["responses"]["200"]["links"] = links


def _created_guid(operation: Operation) -> str | None:
    """The property naming what a create made: ``Guid`` (a read model or Dinero's
    CreatedResponseModel), or the one ``...Guid`` of a model that has nothing else."""
    if operation.method != "POST" or not isinstance(operation.response, type):
        return None
    names = list(operation.response.model_fields)
    if "Guid" in names:
        return "Guid"
    fields = [name for name in names if name.endswith("Guid")]
    return fields[0] if len(fields) == 1 and len(names) == 1 else None


def _unversioned(path: str) -> str:
    """A path without its version segment: ``/v1.2/{organizationId}/x`` -> ``/{organizationId}/x``."""
    parts = path.split("/", 2)
    return "/" + parts[2] if len(parts) > 2 and parts[1].startswith("v") else path


def _path_parameter(name: str, integers: tuple[str, ...] = ()) -> dict[str, Any]:
    schema = {"type": "string", "format": "uuid"} if name.lower().endswith("guid") else {"type": "string"}
    if name in integers:
        schema = {"type": "integer", "format": "int32"}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query_parameter(param: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": param.type}
    if param.format:
        schema["format"] = param.format
    if param.default is not None:
        schema["default"] = param.default
    if param.enum:
        schema["enum"] = list(param.enum)
    return {"name": param.name, "in": "query", "schema": schema}


def _schema_of(hint: Any, models: dict[type[BaseModel], str], mode: str) -> dict[str, Any]:
    """A ``$ref`` to a model's schema (or an array of them), remembering the model."""
    if get_origin(hint) is list:
        return {"type": "array", "items": _schema_of(get_args(hint)[0], models, mode)}
    if not (isinstance(hint, type) and issubclass(hint, BaseModel)):
        return TypeAdapter(hint).json_schema(mode=mode)  # a plain value, e.g. a Guid
    models.setdefault(hint, mode)
    return {"$ref": REF.format(model=hint.__name__)}


def _schemas(models: dict[type[BaseModel], str]) -> dict[str, Any]:
    if not models:
        return {}
    _, top = models_json_schema(
        [(model, mode) for model, mode in models.items()],  # type: ignore[misc]
        ref_template=REF,
    )
    return {name: _dinero_style(schema) for name, schema in sorted(top.get("$defs", {}).items())}


def _dinero_style(schema: dict[str, Any]) -> dict[str, Any]:
    """Swashbuckle's conventions: ``type: ["null", T]`` for nullable, non-nullable required."""
    properties = {
        name: _nullable_as_type_list(_drop_titles(value)) for name, value in schema.get("properties", {}).items()
    }
    styled: dict[str, Any] = {"type": "object"}
    required = [name for name, value in properties.items() if not _is_nullable(value)]
    if required:
        styled["required"] = sorted(required)
    styled["properties"] = properties
    return styled


def _drop_titles(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {key: _drop_titles(value) for key, value in schema.items() if key not in ("title", "default")}
    if isinstance(schema, list):
        return [_drop_titles(item) for item in schema]
    return schema


def _nullable_as_type_list(schema: dict[str, Any]) -> dict[str, Any]:
    options = schema.get("anyOf")
    if not options or len(options) != 2 or {"type": "null"} not in options:
        return schema
    other = next(option for option in options if option != {"type": "null"})
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    if "type" in other and isinstance(other["type"], str):
        return {**rest, **other, "type": ["null", other["type"]]}
    return {**rest, "anyOf": [{"type": "null"}, other]}


def _is_nullable(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        return True
    return any(option == {"type": "null"} for option in schema.get("anyOf", ()))


def _oauth2() -> dict[str, Any]:
    scopes = {"dineropublicapi:read": "Access read operations", "dineropublicapi:write": "Access write operations"}
    return {
        "type": "oauth2",
        "flows": {
            "authorizationCode": {
                "authorizationUrl": "https://connect.visma.com/connect/authorize",
                "tokenUrl": "https://connect.visma.com/connect/token",
                "scopes": {**scopes, "offline_access": "Refresh tokens"},
            },
            "password": {
                "tokenUrl": "https://authz.dinero.dk/dineroapi/oauth/token",
                "scopes": {"read": "Read", "write": "Write"},
            },
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``fake-dinero openapi [-o FILE]``: write the document (to stdout without -o)."""
    parser = argparse.ArgumentParser(prog="fake-dinero openapi", description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    args = parser.parse_args(argv)
    text = json.dumps(served_document(), indent=1, ensure_ascii=False) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def operations(document: dict[str, Any]) -> Iterable[tuple[str, str]]:
    for path, item in document["paths"].items():
        for method in item:
            yield method.upper(), path


if __name__ == "__main__":
    raise SystemExit(main())
