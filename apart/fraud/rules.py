"""The fraud signals, each a small pure function of the facts gathered about an item
(apart.fraud.facts) and of the thresholds (settings APART_FRAUD_*, docs/fraud.md).

A rule returns a Finding (its code, its reason in French for the agents, its weight) or None.
No rule blocks anyone: the weights add up to a score, the score gives the risk level, and the
agents decide.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from disposable_email_domains import blocklist

from apart.establishments.bank import FRENCH_BANKING_AREA

# SIRENE trancheEffectifs codes and the most employees each allows. "NN" (unité non
# employeuse) and "00" (0 salarié) allow none; an unknown band allows none either.
WORKFORCE_BAND_MAX = {
    "NN": 0,
    "00": 0,
    "01": 2,
    "02": 5,
    "03": 9,
    "11": 19,
    "12": 49,
    "21": 99,
    "22": 199,
    "31": 249,
    "32": 499,
    "41": 999,
    "42": 1999,
    "51": 4999,
    "52": 9999,
    "53": 10**9,
}
# Countries of the SEPA area (IBAN prefixes), French overseas territories included.
SEPA_COUNTRIES = frozenset(
    {
        "AD",
        "AT",
        "BE",
        "BG",
        "CH",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GI",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LI",
        "LT",
        "LU",
        "LV",
        "MC",
        "MT",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "SM",
        "VA",
        "GP",
        "MQ",
        "GF",
        "RE",
        "PM",
        "YT",
        "BL",
        "MF",
        "NC",
        "PF",
        "WF",
    }
)
# Webmail domains shared by millions of people: a burst "from one domain" ignores them.
COMMON_DOMAINS = frozenset(
    {
        "gmail.com",
        "hotmail.com",
        "hotmail.fr",
        "outlook.com",
        "outlook.fr",
        "live.fr",
        "live.com",
        "yahoo.fr",
        "yahoo.com",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "laposte.net",
        "icloud.com",
        "me.com",
        "neuf.fr",
        "bbox.fr",
        "aol.com",
        "gmx.fr",
        "protonmail.com",
        "proton.me",
    }
)


@dataclass(frozen=True)
class Thresholds:
    bank_change_days: int = 30
    recent_creation_months: int = 6
    shared_sirens: int = 1
    burst_count: int = 5
    medium_score: int = 2
    high_score: int = 5


@dataclass(frozen=True)
class Facts:
    """What is known about one item when it is assessed. Counts are of other, unrelated SIRENs
    (another SIREN whose main contact is another account)."""

    employees_claimed: int | None = None
    # None: the establishment is not in the local SIRENE directory (its band is unknown).
    workforce_band: str | None = None
    placement_start: datetime.date | None = None
    legal_unit_created: datetime.date | None = None
    establishment_created: datetime.date | None = None
    # The establishment's email and those of the people who registered it, lower case.
    emails: tuple[str, ...] = ()
    email_other_sirens: int = 0
    iban: str = ""
    iban_other_sirens: int = 0
    phone_other_sirens: int = 0
    address_other_sirens: int = 0
    bank_changed_at: datetime.datetime | None = None
    submitted_at: datetime.datetime | None = None
    registrations_from_address: int = 0
    registrations_from_domain: int = 0
    daps_from_address: int = 0


@dataclass(frozen=True)
class Finding:
    code: str
    reason: str
    weight: int


Rule = Callable[[Facts, Thresholds], Finding | None]


def _domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def workforce_band(facts: Facts, t: Thresholds) -> Finding | None:
    """SIRENE says no employees (or does not know) while the DAP or DI claims more."""
    if not facts.employees_claimed:
        return None
    band = facts.workforce_band or ""
    allowed = WORKFORCE_BAND_MAX.get(band, 0)
    if facts.employees_claimed <= allowed:
        return None
    if band in ("NN", "00"):
        return Finding(
            "effectif_sirene",
            "L'établissement est sans salarié dans SIRENE mais la demande porte sur "
            f"{facts.employees_claimed} salarié(s).",
            3,
        )
    if not band:  # unknown: the band is missing, or the SIRET is not in the local directory
        return Finding(
            "effectif_sirene",
            "L'établissement est d'effectif inconnu dans SIRENE alors que la demande porte sur "
            f"{facts.employees_claimed} salarié(s).",
            1,
        )
    return Finding(
        "effectif_sirene",
        f"La demande porte sur {facts.employees_claimed} salarié(s), plus que la tranche "
        f"d'effectif SIRENE (au plus {allowed}).",
        2,
    )


def _months_between(earlier: datetime.date, later: datetime.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def recent_creation(facts: Facts, t: Thresholds) -> Finding | None:
    """The legal unit or the establishment was created shortly before the placement."""
    if facts.placement_start is None:
        return None
    for label, created in (
        ("L'entreprise (unité légale)", facts.legal_unit_created),
        ("L'établissement", facts.establishment_created),
    ):
        if created is None:
            continue
        months = _months_between(created, facts.placement_start)
        if months < t.recent_creation_months:
            return Finding(
                "creation_recente",
                f"{label} a été créé(e) le {created:%d/%m/%Y}, moins de "
                f"{t.recent_creation_months} mois avant le début de la période.",
                2,
            )
    return None


def disposable_email(facts: Facts, t: Thresholds) -> Finding | None:
    """The domain is in the disposable-email-domains list."""
    for email in facts.emails:
        domain = _domain(email)
        if domain and domain in blocklist:
            return Finding(
                "courriel_jetable",
                f"L'adresse électronique utilise un domaine de messagerie jetable ({domain}).",
                2,
            )
    return None


def _shared(code: str, what: str, count: int, t: Thresholds, weight: int) -> Finding | None:
    if count < t.shared_sirens:
        return None
    return Finding(code, f"{what} sert aussi à {count} autre(s) entreprise(s) (SIREN).", weight)


def email_shared(facts: Facts, t: Thresholds) -> Finding | None:
    return _shared("courriel_partage", "L'adresse électronique", facts.email_other_sirens, t, 2)


def iban_shared(facts: Facts, t: Thresholds) -> Finding | None:
    return _shared("iban_partage", "L'IBAN", facts.iban_other_sirens, t, 3)


def phone_shared(facts: Facts, t: Thresholds) -> Finding | None:
    return _shared("telephone_partage", "Le numéro de téléphone", facts.phone_other_sirens, t, 1)


def address_shared(facts: Facts, t: Thresholds) -> Finding | None:
    return _shared(
        "adresse_ip_partagee",
        "L'adresse IP de l'inscription",
        facts.address_other_sirens,
        t,
        1,
    )


def foreign_iban(facts: Facts, t: Thresholds) -> Finding | None:
    country = facts.iban[:2].upper()
    if not country or country in FRENCH_BANKING_AREA:
        return None
    if country in SEPA_COUNTRIES:
        return Finding(
            "iban_etranger", f"L'IBAN n'est pas français (pays {country}, zone SEPA).", 1
        )
    return Finding("iban_hors_sepa", f"L'IBAN est hors de la zone SEPA (pays {country}).", 3)


def recent_bank_change(facts: Facts, t: Thresholds) -> Finding | None:
    if facts.bank_changed_at is None or facts.submitted_at is None:
        return None
    if facts.submitted_at - facts.bank_changed_at >= datetime.timedelta(days=t.bank_change_days):
        return None
    return Finding(
        "coordonnees_recentes",
        f"Les coordonnées bancaires ont été modifiées le {facts.bank_changed_at:%d/%m/%Y}, "
        f"moins de {t.bank_change_days} jours avant la transmission.",
        2,
    )


def burst_from_address(facts: Facts, t: Thresholds) -> Finding | None:
    count = max(facts.registrations_from_address, facts.daps_from_address)
    if count < t.burst_count:
        return None
    what = "inscriptions" if count == facts.registrations_from_address else "demandes (DAP)"
    return Finding(
        "rafale_adresse",
        f"{count} {what} depuis la même adresse IP en peu de temps.",
        2,
    )


def burst_from_domain(facts: Facts, t: Thresholds) -> Finding | None:
    domain = _domain(facts.emails[-1]) if facts.emails else ""
    if not domain or domain in COMMON_DOMAINS:
        return None
    if facts.registrations_from_domain < t.burst_count:
        return None
    return Finding(
        "rafale_domaine",
        f"{facts.registrations_from_domain} inscriptions avec le domaine {domain} en peu de temps.",
        1,
    )


RULES: tuple[Rule, ...] = (
    workforce_band,
    recent_creation,
    disposable_email,
    email_shared,
    iban_shared,
    phone_shared,
    address_shared,
    foreign_iban,
    recent_bank_change,
    burst_from_address,
    burst_from_domain,
)


def evaluate(facts: Facts, thresholds: Thresholds) -> list[Finding]:
    return [finding for rule in RULES if (finding := rule(facts, thresholds)) is not None]


def risk_level(score: int, thresholds: Thresholds) -> str:
    """The RiskLevel value of a score (apart.fraud.models.RiskLevel)."""
    if score >= thresholds.high_score:
        return "eleve"
    if score >= thresholds.medium_score:
        return "moyen"
    return "faible" if score else "aucun"
