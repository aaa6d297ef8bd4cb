"""Hypothesis strategies for hostile input, and the checks every response and row must pass."""

from __future__ import annotations

import string
from typing import Any

from django.apps import apps
from django.db import models
from hypothesis import strategies as st

# Markers that must never come back unescaped in an HTML page.
SCRIPT = '<script>alert("apart-xss")</script>'
MARKERS = (SCRIPT, '"><svg onload=alert("apart-xss")>', "<img src=x onerror=alert('apart-xss')>")

FRAGMENTS = [
    "",
    " ",
    "\t\n\r",
    *MARKERS,
    "' OR 1=1 --",
    "'; DROP TABLE accounts_account; --",
    '" OR ""="',
    "1; SELECT pg_sleep(5)",
    "\x00",
    "abc\x00def",
    "\x1b[31mred",
    "\x07\x08\x0b\x0c\x7f",
    "\u202eexe.txt",  # RIGHT-TO-LEFT OVERRIDE
    "\u200b\u200d\ufeff",  # zero width, BOM
    "раураl.fr",  # Cyrillic look-alikes
    "名前 اسم שם",
    "👩‍👩‍👧‍👦🇫🇷",
    "é" * 300,
    "A" * 5000,
    "9" * 40,
    "-1",
    "0",
    "1e309",
    "NaN",
    "18446744073709551616",
    "2026-02-30",
    "31/12/9999",
    "../../../../etc/passwd",
    "%00%0d%0aSet-Cookie: x=1",
    "{{ 7|add:7 }}{% debug %}",
    "${7*7}",
    "javascript:alert(1)",
    "//evil.example/",
    "true",
    "[]",
    '{"a": 1}',
    "@",
    "a@b",
    "x" * 64 + "@" + "y" * 250 + ".fr",
]

# Any Unicode a browser can send (lone surrogates cannot be encoded in UTF-8: the test client
# refuses them; a real client sends bytes that Django decodes to U+FFFD, covered below).
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)

# The categories that broke forms: combining marks (alone, first, stacked), format characters
# (zero-width, BOM, bidi controls and isolates, tags, soft hyphen), private use, unassigned code
# points, noncharacters, the replacement character, controls.
ODD_CHARACTERS = st.one_of(
    st.characters(categories=["Mn", "Mc", "Me"]),
    st.characters(categories=["Cf"]),
    st.characters(categories=["Co", "Cn"], exclude_characters="\ud800"),
    st.characters(categories=["Cc"]),
    st.sampled_from(
        [
            *("\u202e", "\u202d", "\u2066", "\u2069", "\u200e", "\u200f", "\ufeff", "\ufffd"),
            *("\ufdd0", "\uffff", "\U000e0001", "\u00ad", "\u034f", "\u0301", "\u20dd"),
        ]
    ),
)


def unicode_oddities() -> st.SearchStrategy[str]:
    """Text made of, or spoilt by, the odd categories above: alone, leading, between letters."""
    odd = st.text(ODD_CHARACTERS, min_size=1, max_size=6)
    word = st.sampled_from(["", "Rex", "é", "Ménuça", "1200", "名前", "👩"])
    return st.one_of(
        odd, st.tuples(odd, word).map("".join), st.tuples(word, odd, word).map("".join)
    )


huge_text = st.sampled_from([1_000, 20_000, 200_000]).map(lambda n: ("Aé<\x00" * n)[:n])


def hostile_text(seed: str = "") -> st.SearchStrategy[str]:
    """Fragments, arbitrary Unicode, huge values, and the plausible value spoilt by a fragment."""
    fragment = st.sampled_from(FRAGMENTS)
    return st.one_of(
        fragment,
        any_text,
        unicode_oddities(),
        unicode_oddities().map(lambda odd: seed + odd),
        huge_text,
        st.tuples(fragment, fragment).map("".join),
        fragment.map(lambda f: seed + f),
        fragment.map(lambda f: f + seed),
        st.text(string.printable, max_size=40),
    )


# --- Checks ------------------------------------------------------------------------------------


def unescaped_markers(response: Any) -> list[str]:
    if "html" not in response.get("Content-Type", ""):
        return []
    body = response.content.decode(errors="replace")
    return [marker for marker in MARKERS if marker in body]


# Tables whose text columns are free text by design (escaped when shown) or technical records.
FREE_TEXT_MODELS = {
    "audit.auditevent",
    "notifications.outboundemail",
    "core.ratelimitcounter",
    "sessions.session",
    "captcha.captchastore",
    "admin.logentry",
}
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"} | {"\x7f"}


def stored_violations() -> list[str]:
    """Values that validation should have refused: NUL anywhere; in a structured field (any
    CharField of a business table), control characters or a script tag."""
    found = []
    for model in apps.get_models():
        label = model._meta.label_lower
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        names = [f.attname for f in fields]
        for row in model._default_manager.values_list("pk", *names):
            pk, values = row[0], row[1:]
            for f, value in zip(fields, values, strict=True):
                text = value if isinstance(value, str) else repr(value)
                if "\x00" in text or ("\\x00" in text and isinstance(f, models.JSONField)):
                    found.append(f"{label}#{pk}.{f.name} holds a NUL byte")
                if label in FREE_TEXT_MODELS or not isinstance(f, models.CharField):
                    continue
                if _CONTROL & set(text):
                    found.append(f"{label}#{pk}.{f.name} holds control characters: {text[:80]!r}")
                if "<script" in text.lower():
                    found.append(f"{label}#{pk}.{f.name} holds a script tag: {text[:80]!r}")
    return found
