"""The English catalogue is complete: every marked string translated, nothing fuzzy, nothing new
that `make messages` would add, and the compiled .mo is the .po's. French stays the source.

GNU gettext (Debian's `gettext` package) is needed, as for `make messages`: its absence fails.
"""

import gettext
import re
import shutil
import subprocess  # nosec B404: GNU gettext's own tools, fixed arguments
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# The same extraction as `make messages` (Makefile): what the application ships, nothing else.
SOURCES = ("apart", "templates", "config", "manage.py")
MAKEMESSAGES = ["makemessages", "--locale=en", "--no-obsolete", "--add-location=file"]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} missing: install GNU gettext (Debian: apt-get install gettext)")
    return path


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603


def test_every_entry_is_translated_and_none_is_fuzzy():
    checked = _run(_tool("msgfmt"), "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE))

    assert checked.returncode == 0, checked.stderr
    statistics = checked.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages\.", statistics), statistics
    assert "#, fuzzy" not in CATALOGUE.read_text(encoding="utf-8")


def test_makemessages_finds_nothing_new_nor_gone(tmp_path):
    for source in SOURCES:
        origin = ROOT / source
        if origin.is_dir():
            shutil.copytree(
                origin, tmp_path / source, ignore=shutil.ignore_patterns("__pycache__", "static")
            )
        else:
            shutil.copy(origin, tmp_path / source)
    (tmp_path / "locale").mkdir()
    _tool("xgettext")
    extracted = _run(sys.executable, "manage.py", *MAKEMESSAGES, cwd=tmp_path)
    assert extracted.returncode == 0, extracted.stderr
    fresh = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"

    missing = _run(_tool("msgcmp"), str(CATALOGUE), str(fresh))
    assert missing.returncode == 0, (
        "strings not in the catalogue (run make messages):\n" + missing.stderr
    )
    stale = _run(_tool("msgcmp"), "--use-untranslated", str(fresh), str(CATALOGUE))
    assert stale.returncode == 0, (
        "entries the code no longer uses (run make messages):\n" + stale.stderr
    )


def test_compiled_catalogue_is_the_source_catalogue(tmp_path):
    compiled = tmp_path / "django.mo"
    assert _run(_tool("msgfmt"), "-o", str(compiled), str(CATALOGUE)).returncode == 0

    with compiled.open("rb") as fresh, COMPILED.open("rb") as shipped:
        expected = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
        assert gettext.GNUTranslations(shipped)._catalog == expected, "run make messages"  # type: ignore[attr-defined]


# The guide's wording by default; the same pages in English once the user chose it.
KEY_PAGES = [
    (
        "core:home",
        ["CRÉER MON ESPACE", "MON ESPACE PERSONNEL"],
        ["CREATE MY SPACE", "MY PERSONAL SPACE"],
    ),
    (
        "registration:start",
        ["Veuillez indiquer votre numéro de Siret", "N° de Siret", "Contrôle de sécurité :"],
        ["Please enter your SIRET number", "SIRET number", "Security check:"],
    ),
    (
        "accounts:login",
        ["MON ESPACE PERSONNEL", "J'ai oublié mon mot de passe"],
        ["MY PERSONAL SPACE", "I forgot my password"],
    ),
    ("space:help", ["BESOIN D'AIDE ?", "Première connexion"], ["NEED HELP?", "First login"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "french", "english"), KEY_PAGES)
def test_key_pages_are_french_by_default_and_english_when_chosen(client, name, french, english):
    page = client.get(reverse(name)).content.decode()
    assert '<html lang="fr"' in page
    for text in french:
        assert text in page
    for text in english:
        assert text not in page

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse(name)).content.decode()
    assert '<html lang="en"' in page
    for text in english:
        assert text in page
    for text in french:
        assert text not in page
