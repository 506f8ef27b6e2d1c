"""The conformance checker: the fake's OpenAPI document against Dinero's, per operation.

Every scenario starts from Dinero's committed document (so the pieces are
real) and changes one thing on the fake's side; the checker must name it.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field
from pydantic.json_schema import models_json_schema

from fake_dinero.contracts import upstream
from fake_dinero.contracts.conformance import (
    COVERAGE_PATH,
    AllowlistError,
    Difference,
    compare,
    fake_document,
    load_allowlist,
    main,
    parse_allowlist,
    render_markdown,
)

LIST = ("GET", "/v1/{organizationId}/contacts")
CREATE = ("POST", "/v1/{organizationId}/contacts")
GET_ONE = ("GET", "/v1/{organizationId}/contacts/{guid}")
UPDATE = ("PUT", "/v1/{organizationId}/contacts/{guid}")
NOTES = ("GET", "/v1/{organizationId}/contacts/{contactGuid}/notes")
TEMPLATES = ("GET", "/v1/{organizationId}/invoices/templates")


def _dinero() -> dict[str, Any]:
    """A private copy of Dinero's document: tests mutate it as 'the fake'."""
    return copy.deepcopy(upstream.load())


def _schema(doc: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = doc["components"]["schemas"][name]
    return found


def _op(doc: dict[str, Any], operation: tuple[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = doc["paths"][operation[1]][operation[0].lower()]
    return found


def _differences(fake: dict[str, Any], operation: tuple[str, str]) -> list[Difference]:
    return compare(fake, upstream.load()).get(*operation).differences


def _document(*operations: tuple[str, str]) -> dict[str, Any]:
    """A small document: only these operations of Dinero's, and the schemas they reach."""
    source = upstream.load()
    paths: dict[str, Any] = {}
    for method, path in operations:
        paths.setdefault(path, {})[method.lower()] = copy.deepcopy(source["paths"][path][method.lower()])
    names: set[str] = set()
    pending = set(re.findall(r"#/components/schemas/(\w+)", json.dumps(paths)))
    while pending:
        name = pending.pop()
        names.add(name)
        pending |= set(re.findall(r"#/components/schemas/(\w+)", json.dumps(_schema(source, name)))) - names
    schemas = {name: copy.deepcopy(_schema(source, name)) for name in sorted(names)}
    return {"openapi": "3.1.1", "info": source["info"], "paths": paths, "components": {"schemas": schemas}}


def _pydantic_style(node: Any) -> Any:
    """Re-spell a schema the way pydantic does: anyOf-null, titles, defaults, no int/float formats."""
    if isinstance(node, list):
        return [_pydantic_style(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: value if key in ("enum", "required") else _pydantic_style(value) for key, value in node.items()}
    if "properties" in node:
        out["properties"] = {name: _pydantic_style(sub) for name, sub in node["properties"].items()}
        out["title"] = "Model"
    out.pop("additionalProperties", None) if out.get("additionalProperties") is False else None
    if out.get("format") in ("int32", "int64", "double"):
        del out["format"]
    kind = out.get("type")
    if isinstance(kind, list) and "null" in kind and len(kind) == 2:
        kind = next(t for t in kind if t != "null")
        branch = {k: v for k, v in out.items() if k not in ("type", "title")} | {"type": kind}
        out = {"anyOf": [branch, {"type": "null"}], "default": None, "title": "Field"}
    return out


# ---------------------------------------------------------------- equal documents


def test_dineros_document_compared_with_itself_agrees_everywhere() -> None:
    report = compare(_dinero(), upstream.load())
    assert len(report.operations) == 136
    assert {op.status for op in report.operations} == {"agrees"}
    assert not [op.differences for op in report.operations if op.differences]
    assert report.ok
    assert report.summary().startswith("136 of 136 Dinero operations implemented, 136 agree")


def test_prose_and_examples_in_dineros_original_are_no_difference() -> None:
    if not upstream.DEFAULT_SOURCE.exists():
        pytest.skip("../shared/dinero-api is not checked out next to the repo")
    report = compare(upstream.read_source(upstream.DEFAULT_SOURCE), upstream.load())
    assert {op.status for op in report.operations} == {"agrees"}
    assert not report.failures()


def test_ref_and_inline_schemas_compare_equal() -> None:
    fake = _dinero()
    collection = _schema(fake, "ContactReadModelDineroCollection")
    collection["properties"]["Collection"]["items"] = copy.deepcopy(_schema(fake, "ContactReadModel"))
    _op(fake, GET_ONE)["responses"]["200"]["content"]["application/json"]["schema"] = _schema(fake, "ContactReadModel")
    assert _differences(fake, LIST) == []
    assert _differences(fake, GET_ONE) == []


def test_pydantic_anyof_null_spelling_compares_equal_to_dineros_type_list() -> None:
    fake = _dinero()
    fake["components"]["schemas"] = _pydantic_style(fake["components"]["schemas"])
    assert _schema(fake, "ContactReadModel")["properties"]["Street"]["anyOf"] == [{"type": "string"}, {"type": "null"}]
    report = compare(fake, upstream.load())
    assert [op.operation for op in report.operations if op.differences] == []


def test_oneof_null_and_openapi_30_nullable_mean_nullable_too() -> None:
    fake = _dinero()
    properties = _schema(fake, "ContactReadModel")["properties"]
    properties["Street"] = {"oneOf": [{"type": "null"}, {"type": "string"}]}
    properties["City"] = {"type": "string", "nullable": True}
    assert _differences(fake, GET_ONE) == []


def test_a_real_pydantic_model_matches_the_dinero_schema_it_mirrors() -> None:
    class PaginationDetails(BaseModel):
        MaxPageSizeAllowed: int
        PageSize: int
        Result: int
        ResultWithoutFilter: int
        Page: int

    class ContactNoteReadModel(BaseModel):
        Id: uuid.UUID
        NoteDate: datetime
        AuthorName: str | None = None
        AuthorEmail: str | None = None
        CreatedAt: datetime | None = None
        UpdatedAt: datetime | None = None
        DeletedAt: datetime | None = None
        Text: str = Field(min_length=1, description="The note")

    class ContactNoteReadModelDineroCollection(BaseModel):
        Collection: list[ContactNoteReadModel] | None = None
        Pagination: PaginationDetails

    _, generated = models_json_schema(
        [(ContactNoteReadModelDineroCollection, "serialization")], ref_template="#/components/schemas/{model}"
    )
    fake = _dinero()
    fake["components"]["schemas"].update(generated["$defs"])
    assert _differences(fake, NOTES) == []


def test_self_referencing_schemas_are_compared_without_endless_recursion() -> None:
    fake, dinero = _document(GET_ONE), _document(GET_ONE)
    for doc in (fake, dinero):
        node = {"type": "object", "properties": {"Name": {"type": "string"}}}
        node["properties"]["Children"] = {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
        node["properties"]["Parent"] = {"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]}
        doc["components"]["schemas"]["Node"] = node
        _schema(doc, "ContactReadModel")["properties"]["Tree"] = {"$ref": "#/components/schemas/Node"}
    _schema(fake, "Node")["properties"]["Name"]["type"] = "integer"
    differences = compare(fake, dinero).get(*GET_ONE).differences
    assert [(d.kind, d.where) for d in differences] == [("type", "response ContactReadModel.Tree.Name")]


# ---------------------------------------------------------------- what counts as a difference


def test_a_renamed_property_is_reported_with_its_path() -> None:
    fake = _dinero()
    properties = _schema(fake, "ContactReadModel")["properties"]
    properties["Town"] = properties.pop("City")
    found = {(d.kind, d.where, d.fake, d.upstream) for d in _differences(fake, LIST)}
    assert found == {
        ("property-missing", "response ContactReadModelDineroCollection.Collection[].City", None, "City"),
        ("property-extra", "response ContactReadModelDineroCollection.Collection[].Town", "Town", None),
    }


def test_a_casing_change_is_a_difference() -> None:
    fake = _dinero()
    model = _schema(fake, "ContactCreateModel")
    model["properties"]["name"] = model["properties"].pop("Name")
    model["required"] = ["name" if n == "Name" else n for n in model["required"]]
    report = compare(fake, upstream.load())
    assert report.get(*CREATE).differences == [Difference("casing", "request ContactCreateModel.Name", "name", "Name")]
    assert report.get(*CREATE).status == "differs"
    assert not report.ok


def test_a_changed_required_flag_is_reported() -> None:
    fake = _dinero()
    _schema(fake, "ContactCreateModel")["required"].remove("Name")
    assert _differences(fake, CREATE) == [Difference("required", "request ContactCreateModel.Name", False, True)]


def test_a_changed_type_is_reported() -> None:
    fake = _dinero()
    _schema(fake, "ContactReadModel")["properties"]["PaymentConditionNumberOfDays"]["type"] = ["null", "string"]
    assert _differences(fake, GET_ONE) == [
        Difference("type", "response ContactReadModel.PaymentConditionNumberOfDays", "string", "integer")
    ]


def test_a_nullable_difference_is_reported() -> None:
    fake = _dinero()
    _schema(fake, "ContactReadModel")["properties"]["Street"]["type"] = "string"
    assert _differences(fake, GET_ONE) == [Difference("nullable", "response ContactReadModel.Street", False, True)]


def test_a_missing_enum_value_is_reported() -> None:
    fake = _dinero()
    _schema(fake, "AddressPlacement")["enum"].remove("Left")
    assert _differences(fake, TEMPLATES) == [
        Difference("enum", "response body[].AddressPlacement", ["Right"], ["Left", "Right"])
    ]


def test_a_missing_query_parameter_is_reported() -> None:
    fake = _dinero()
    _op(fake, LIST)["parameters"] = [p for p in _op(fake, LIST)["parameters"] if p["name"] != "pageSize"]
    assert _differences(fake, LIST) == [Difference("parameter-missing", "parameter query pageSize", None, "pageSize")]


def test_an_optional_query_parameter_may_be_spelled_nullable() -> None:
    fake = _dinero()
    page = next(p for p in _op(fake, LIST)["parameters"] if p["name"] == "page")
    page["schema"] = {"anyOf": [{"type": "integer"}, {"type": "null"}], "default": None}
    assert _differences(fake, LIST) == []


def test_a_missing_request_body_is_reported() -> None:
    fake = _dinero()
    del _op(fake, CREATE)["requestBody"]
    assert [d.kind for d in _differences(fake, CREATE)] == ["request-body-missing"]


def test_a_format_difference_is_informational_and_does_not_fail() -> None:
    fake = _dinero()
    del _schema(fake, "ContactReadModel")["properties"]["ContactGuid"]["format"]
    report = compare(fake, upstream.load())
    assert report.get(*GET_ONE).differences == [
        Difference("format", "response ContactReadModel.ContactGuid", None, "uuid")
    ]
    assert report.get(*GET_ONE).status == "agrees"
    assert report.ok


def test_a_response_body_dinero_leaves_undocumented_is_informational() -> None:
    fake = _dinero()
    _op(fake, UPDATE)["responses"]["200"] = {"content": {"application/json": {"schema": {"type": "object"}}}}
    (difference,) = compare(fake, upstream.load()).get(*UPDATE).differences
    assert (difference.kind, difference.informational) == ("response-undocumented", True)


def test_answering_204_where_dinero_documents_200_is_a_difference() -> None:
    fake = _dinero()
    _op(fake, UPDATE)["responses"] = {"204": {}}
    assert _differences(fake, UPDATE) == [Difference("response-status", "response", ["204"], ["200"])]


# ---------------------------------------------------------------- operations


def test_an_operation_the_fake_lacks_is_missing_and_not_a_failure() -> None:
    fake = _dinero()
    del fake["paths"][LIST[1]]["get"]
    report = compare(fake, upstream.load())
    assert report.get(*LIST).status == "missing"
    assert report.ok
    assert report.summary().startswith("135 of 136 Dinero operations implemented, 135 agree")


def test_a_fake_only_operation_is_reported_and_never_fails() -> None:
    fake = _dinero()
    fake["paths"]["/_fake/reset"] = {"post": {"tags": ["control"], "responses": {"204": {}}}}
    report = compare(fake, upstream.load())
    assert report.get("POST", "/_fake/reset").status == "fake-only"
    assert report.ok
    assert "- `POST /_fake/reset`" in render_markdown(report)


# ---------------------------------------------------------------- allow-list


def _casing_fake() -> dict[str, Any]:
    fake = _dinero()
    properties = _schema(fake, "ContactCreateModel")["properties"]
    properties["city"] = properties.pop("City")
    return fake


def test_an_allow_listed_difference_does_not_fail_and_shows_its_reason() -> None:
    reason = "Dinero's binder is case-insensitive; the fake keeps its own spelling here"
    entry = {"operation": "POST /v1/{organizationId}/contacts", "where": "request ContactCreateModel.City"}
    report = compare(_casing_fake(), upstream.load(), [entry | {"kind": "casing", "reason": reason}])
    assert report.ok
    assert report.get(*CREATE).status == "differs"
    assert [d.allowed_reason for d in report.get(*CREATE).differences] == [reason]
    assert f"allowed: {reason}" in render_markdown(report)


def test_an_allow_list_star_matches_any_text_and_nothing_else_is_special() -> None:
    entry = {"operation": "POST *", "where": "request *.City", "kind": "casing", "reason": "spelling"}
    assert compare(_casing_fake(), upstream.load(), [entry]).ok
    entry["where"] = "request ContactCreateModel.Cit[y]"
    assert not compare(_casing_fake(), upstream.load(), [entry]).ok


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_an_allow_list_entry_without_a_reason_is_refused(reason: str | None) -> None:
    entry: dict[str, Any] = {"operation": "GET /v1/countries", "where": "response", "kind": "type"}
    if reason is not None:
        entry["reason"] = reason
    with pytest.raises(AllowlistError):
        parse_allowlist([entry])


def test_an_allow_list_entry_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(AllowlistError, match="unknown kind"):
        parse_allowlist([{"operation": "GET /v1/countries", "where": "response", "kind": "typo", "reason": "r"}])


def test_a_stale_allow_list_entry_fails_the_check() -> None:
    entry = {"operation": "GET /v1/countries", "where": "response body[].Key", "kind": "type", "reason": "was needed"}
    report = compare(_dinero(), upstream.load(), [entry])
    assert [e.where for e in report.stale_allowlist] == ["response body[].Key"]
    assert not report.ok
    assert "## Stale allow-list entries" in render_markdown(report)


def test_the_committed_allow_list_is_valid() -> None:
    load_allowlist()


# ---------------------------------------------------------------- the command


def _run(tmp_path: Path, fake: dict[str, Any], allowlist: list[Any], *extra: str) -> int:
    (tmp_path / "dinero.json").write_text(json.dumps(_document(LIST, CREATE)), encoding="utf-8")
    (tmp_path / "fake.json").write_text(json.dumps(fake), encoding="utf-8")
    (tmp_path / "allow.json").write_text(json.dumps(allowlist), encoding="utf-8")
    argv = ["--upstream", str(tmp_path / "dinero.json"), "--fake", str(tmp_path / "fake.json")]
    return main([*argv, "--allowlist", str(tmp_path / "allow.json"), "--write", str(tmp_path / "COVERAGE.md"), *extra])


def test_check_exits_0_when_the_fake_agrees(tmp_path: Path) -> None:
    assert _run(tmp_path, _document(LIST, CREATE), [], "--check") == 0


def test_check_exits_1_on_a_disagreement(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = _document(LIST, CREATE)
    _schema(fake, "ContactCreateModel")["properties"]["Name"]["type"] = "integer"
    assert _run(tmp_path, fake, [], "--check") == 1
    assert (
        "DIFFERS POST /v1/{organizationId}/contacts: type at request ContactCreateModel.Name" in capsys.readouterr().out
    )


def test_without_check_a_disagreement_is_reported_but_exits_0(tmp_path: Path) -> None:
    fake = _document(LIST, CREATE)
    _schema(fake, "ContactCreateModel")["properties"]["Name"]["type"] = "integer"
    assert _run(tmp_path, fake, []) == 0


def test_check_exits_1_on_a_stale_allow_list_entry(tmp_path: Path) -> None:
    entry = {"operation": "GET /v1/{organizationId}/contacts", "where": "x", "kind": "type", "reason": "gone"}
    assert _run(tmp_path, _document(LIST, CREATE), [entry], "--check") == 1


def test_a_malformed_allow_list_stops_the_command(tmp_path: Path) -> None:
    entry = {"operation": "GET /v1/{organizationId}/contacts", "where": "x", "kind": "type", "reason": ""}
    assert _run(tmp_path, _document(LIST, CREATE), [entry], "--check") == 2


def test_the_command_writes_a_generated_coverage_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(tmp_path, _document(LIST), [])
    text = (tmp_path / "COVERAGE.md").read_text(encoding="utf-8")
    assert "Generated by `fake-dinero coverage`; do not edit" in text
    assert "| `GET /v1/{organizationId}/contacts` | agrees | 0 | 0 | 0 |" in text
    assert "| `POST /v1/{organizationId}/contacts` | missing |" in text
    assert "**1 of 2 Dinero operations implemented, 1 agree" in capsys.readouterr().out


def test_coverage_file_is_current() -> None:
    report = compare(fake_document(), upstream.load(), load_allowlist())
    assert COVERAGE_PATH.read_text(encoding="utf-8") == render_markdown(report), (
        "contracts/COVERAGE.md is stale; run: fake-dinero coverage --write contracts/COVERAGE.md"
    )


def test_every_operation_the_fake_implements_agrees_with_dineros_document() -> None:
    report = compare(fake_document(), upstream.load(), load_allowlist())
    assert report.ok, "\n".join(f"{operation}: {difference}" for operation, difference in report.failures())
    assert not report.stale_allowlist
