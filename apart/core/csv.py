"""CSV downloads opened in spreadsheets: one formula escaper, one response builder.

French spreadsheet conventions: ``;`` between cells, UTF-8 with a byte-order mark (Excel reads
UTF-8 only with it). Every cell goes through ``neutralise`` (OWASP, "CSV Injection"): a cell a
spreadsheet would run as a formula starts with an apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.http import content_disposition_header

# What makes a spreadsheet read a cell as a formula or a command (OWASP: = + - @ tab and carriage
# return), with the line feed (a cell starting on a new line), their full-width forms (some
# spreadsheets fold them to ASCII) and the same after leading spaces (some trim them on import).
_FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")


def neutralise(value: object) -> str:
    """The cell's text, prefixed with an apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    first = text.lstrip(" ")[:1]
    return "'" + text if first and first in _FORMULA_STARTS else text


def csv_response(rows: Iterable[Iterable[object]], *, filename: str) -> HttpResponse:
    """A download of ``rows`` (the header included) as ``filename``, every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return response
