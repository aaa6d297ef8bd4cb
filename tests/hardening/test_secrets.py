"""No secret in the repository: every tracked file is scanned for private keys and tokens."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50,})"),
    "GitLab token": re.compile(r"\bglpat-[A-Za-z0-9_-]{20}\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "Stripe key": re.compile(r"\b[rs]k_live_[0-9A-Za-z]{20,}"),
    "JSON web token": re.compile(
        r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"
    ),
    # Documentation placeholders ("user:password@") are not secrets.
    "password in a URL": re.compile(
        r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:(?!(?:password|pass|secret|changeme|x+)@)"
        r"[^/\s@'\"{}$<>]{3,}@"
    ),
    "Django SECRET_KEY value": re.compile(
        r"""SECRET_KEY\s*=\s*["'](?!dev-only-insecure-key)[^"']{30,}["']"""
    ),
}
# Files whose very job is to hold the patterns above.
ALLOWED = {"tests/hardening/test_secrets.py"}


def tracked_files() -> list[Path]:
    listing = subprocess.run(
        ["git", "ls-files", "-z"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [ROOT / name for name in listing.split("\0") if name and name not in ALLOWED]


def scan(files: list[Path]) -> list[str]:
    found = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary (images, fonts) or removed in the working tree
        for what, pattern in PATTERNS.items():
            for match in pattern.finditer(text):
                line = text[: match.start()].count("\n") + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    return found


def test_no_tracked_file_holds_a_secret():
    files = tracked_files()

    assert len(files) > 100
    assert scan(files) == []


def test_no_environment_file_is_tracked():
    names = [p.name for p in tracked_files()]

    assert [n for n in names if n == ".env" or n.endswith((".pem", ".key", ".p12"))] == []


@pytest.mark.parametrize(
    "leak",
    [
        "-----BEGIN OPENSSH PRIVATE KEY-----",
        "token = 'ghp_" + "a" * 36 + "'",
        "DATABASE_URL=postgres://apart:" + "hunter2" + "@db/apart",
        'SECRET_KEY = "' + "k" * 50 + '"',
    ],
)
def test_the_scan_finds_a_planted_secret(tmp_path, leak):
    planted = tmp_path / "leak.py"
    planted.write_text(f"x = 1\n{leak}\n")

    assert len(scan_relative(planted)) == 1


def scan_relative(path: Path) -> list[str]:
    text = path.read_text()
    return [what for what, pattern in PATTERNS.items() if pattern.search(text)]
