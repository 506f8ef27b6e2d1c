"""The fake's JSON encoding: the bytes Python's json writes, however they are made."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from fake_dinero.http import dump_json, json_response


def by_json(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@given(JSON_VALUES)
def test_a_document_is_written_as_json_writes_it(document: Any) -> None:
    assert dump_json(document) == by_json(document)


@pytest.mark.parametrize("number", [1e-05, 2.5e-05, 1e-07, -3.25e-09, 0.0001, 1e16, 1e-300])
def test_a_small_or_large_float_is_written_as_json_writes_it(number: float) -> None:
    assert dump_json({"Amount": number, "Lines": [number]}) == by_json({"Amount": number, "Lines": [number]})


def test_a_document_nested_deeper_than_pydantic_writes_is_written_by_json() -> None:
    document: Any = 1
    for _ in range(300):
        document = [document]
    assert dump_json(document) == by_json(document)


class Line(BaseModel):
    Description: str
    Amount: float


def test_a_model_is_written_as_its_json_mode_dump() -> None:
    line = Line(Description="Æbler", Amount=2e-05)
    assert dump_json(line) == by_json(line.model_dump(mode="json"))
    assert dump_json([line, {"Total": 1}]) == by_json([line.model_dump(mode="json"), {"Total": 1}])


def test_a_value_json_cannot_write_is_refused() -> None:
    with pytest.raises(TypeError):
        dump_json({"Amount": object()})


def test_a_json_answer_says_its_type_and_keeps_the_headers_given() -> None:
    response = json_response({"Id": 1}, 201, {"location": "/v1/1"})
    assert (response.status, response.body) == (201, b'{"Id":1}')
    assert response.headers == {"content-type": "application/json; charset=utf-8", "location": "/v1/1"}
