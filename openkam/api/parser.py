"""The API's request parser: Ninja's JSON and query parsing, refusing text that PostgreSQL
cannot store. A NUL character (U+0000) in any string of the body or the query is a 422 on that
field, the same answer on both databases (SQLite would store it; PostgreSQL would fail the
request with a 500)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja.parser import Parser

from openkam.api.errors import field_error, invalid

NUL = "\x00"


def nul_path(data: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """Where in parsed JSON the first string holding a NUL is (key or index path), if any."""
    if isinstance(data, str):
        return path if NUL in data else None
    if isinstance(data, dict):
        for key, value in data.items():
            found = nul_path(key, path) or nul_path(value, (*path, key))
            if found is not None:
                return found
    if isinstance(data, list):
        for index, value in enumerate(data):
            found = nul_path(value, (*path, index))
            if found is not None:
                return found
    return None


def _refuse(loc: list[str | int]) -> None:
    raise invalid([field_error(loc, _("Text may not contain the NUL character (U+0000)."))])


class TextSafeParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        found = nul_path(data)
        if found is not None:
            _refuse(list(found))
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            if NUL in key or any(NUL in str(value) for value in values):
                _refuse([key.replace(NUL, "")])
        return super().parse_querydict(data, list_fields, request)
