"""Which INSEE columns (format 3.11) feed which directory column, and the per-row checks.

A row parser turns one CSV record into the tuple written to the database, or returns the
reason (French) why the row is rejected. Parsers are the hot loop of a 40-million-row import:
they use itemgetter and plain comparisons, nothing slower.
"""

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from apart.directory.models import AdministrativeState, DiffusionStatus, LegalUnitState

RowParser = Callable[[list[str]], tuple[object, ...] | str]


@dataclass(frozen=True)
class StockSchema:
    """One stock file: its required INSEE columns, the target table and its key.

    The same rules exist twice: as a Python row parser (SQLite path) and as SQL over a raw
    staging table (PostgreSQL path, where Python does not parse the rows). ``sql_columns``
    gives each directory column as an SQL expression of INSEE columns written ``{name}``;
    ``sql_checks`` pairs a rejection condition with its reason, worded as the parser's.
    """

    label: str
    table: str
    key: str
    db_columns: tuple[str, ...]
    required: tuple[str, ...]
    make_parser: Callable[[dict[str, int], int], RowParser]
    sql_columns: tuple[str, ...]
    sql_checks: tuple[tuple[str, str], ...]
    unique_constraint: str  # the model's UniqueConstraint on ``key`` (bulk.py drops it)


def _text(name: str) -> str:
    return f"coalesce({{{name}}}, '')"


def _one_of(name: str, values: frozenset[str] | tuple[str, ...], width: int) -> tuple[str, str]:
    listed = ", ".join(f"'{value}'" for value in sorted(values))
    return (
        f"{_text(name)} NOT IN ({listed})",
        f"'{name} invalide : ' || quote_literal(left({_text(name)}, {width}))",
    )


def _digits(name: str, label: str, length: int) -> tuple[str, str]:
    # ``length`` bytes, all of them digits: ltrim of the digits leaves nothing. Twice as cheap
    # as a regular expression per row; a NULL (empty field) has octet_length 0.
    return (
        f"octet_length({_text(name)}) <> {length} OR ltrim({{{name}}}, '0123456789') <> ''",
        f"'{label} invalide : ' || quote_literal(left({_text(name)}, 20))",
    )


# --- StockEtablissement -----------------------------------------------------------------------

ESTABLISHMENT_SOURCES = (
    "siret",
    "enseigne1Etablissement",
    "denominationUsuelleEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "complementAdresseEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "etatAdministratifEtablissement",
    "statutDiffusionEtablissement",
    "activitePrincipaleEtablissement",
    "trancheEffectifsEtablissement",
    "etablissementSiege",
    "dateCreationEtablissement",
)
ESTABLISHMENT_COLUMNS = (
    "siret",
    "siren",
    "sign",
    "usual_name",
    "street_number",
    "street_number_extension",
    "street_type",
    "street_name",
    "address_complement",
    "postal_code",
    "city",
    "state",
    "diffusion",
    "naf_code",
    "workforce_bracket",
    "is_head_office",
    "created_on",
)
ESTABLISHMENT_STATES = frozenset(AdministrativeState.values)
DIFFUSION_STATUSES = frozenset(DiffusionStatus.values)
BOOLEANS = {"true": True, "false": False}


def _is_digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


def make_establishment_parser(columns: dict[str, int], width: int) -> RowParser:
    pick = itemgetter(*(columns[name] for name in ESTABLISHMENT_SOURCES))

    def parse(row: list[str]) -> tuple[object, ...] | str:
        if len(row) != width:
            return f"{len(row)} colonnes au lieu de {width}"
        (
            siret,
            sign,
            usual_name,
            number,
            extension,
            street_type,
            street_name,
            complement,
            postal_code,
            city,
            state,
            diffusion,
            naf,
            workforce,
            head_office,
            created_on,
        ) = pick(row)
        if not _is_digits(siret, 14):
            return f"Siret invalide : {siret[:20]!r}"
        if state not in ESTABLISHMENT_STATES:
            return f"etatAdministratifEtablissement invalide : {state[:10]!r}"
        if diffusion not in DIFFUSION_STATUSES:
            return f"statutDiffusionEtablissement invalide : {diffusion[:10]!r}"
        is_head_office = BOOLEANS.get(head_office)
        if is_head_office is None:
            return f"etablissementSiege invalide : {head_office[:10]!r}"
        return (
            siret,
            siret[:9],
            sign,
            usual_name,
            number,
            extension,
            street_type,
            street_name,
            complement,
            postal_code,
            city,
            state,
            diffusion,
            naf,
            workforce,
            is_head_office,
            created_on,
        )

    return parse


ESTABLISHMENTS = StockSchema(
    label="établissements",
    table="directory_establishment",
    key="siret",
    db_columns=ESTABLISHMENT_COLUMNS,
    required=ESTABLISHMENT_SOURCES,
    make_parser=make_establishment_parser,
    sql_columns=(
        "{siret}",
        "left({siret}, 9)",
        *(_text(name) for name in ESTABLISHMENT_SOURCES[1:14]),
        "{etablissementSiege} = 'true'",
        _text("dateCreationEtablissement"),
    ),
    unique_constraint="directory_establishment_unique_siret",
    sql_checks=(
        _digits("siret", "Siret", 14),
        _one_of("etatAdministratifEtablissement", ESTABLISHMENT_STATES, 10),
        _one_of("statutDiffusionEtablissement", DIFFUSION_STATUSES, 10),
        _one_of("etablissementSiege", ("false", "true"), 10),
    ),
)

# --- StockUniteLegale -------------------------------------------------------------------------

LEGAL_UNIT_SOURCES = (
    "siren",
    "denominationUniteLegale",
    "nomUniteLegale",
    "prenom1UniteLegale",
    "nomUsageUniteLegale",
    "etatAdministratifUniteLegale",
    "statutDiffusionUniteLegale",
    "categorieJuridiqueUniteLegale",
    "dateCreationUniteLegale",
)
LEGAL_UNIT_COLUMNS = (
    "siren",
    "denomination",
    "legal_name",
    "last_name",
    "first_name",
    "usage_name",
    "state",
    "diffusion",
    "legal_category",
    "created_on",
)
LEGAL_UNIT_STATES = frozenset(LegalUnitState.values)


def legal_unit_denomination(*, legal_name: str, first_name: str, last_name: str) -> str:
    """denominationUniteLegale, or "prenom1UniteLegale nomUniteLegale" for an entrepreneur
    individuel (a natural person has no denominationUniteLegale)."""
    if legal_name:
        return legal_name
    return " ".join(part for part in (first_name, last_name) if part)


def make_legal_unit_parser(columns: dict[str, int], width: int) -> RowParser:
    pick = itemgetter(*(columns[name] for name in LEGAL_UNIT_SOURCES))

    def parse(row: list[str]) -> tuple[object, ...] | str:
        if len(row) != width:
            return f"{len(row)} colonnes au lieu de {width}"
        (
            siren,
            legal_name,
            last_name,
            first_name,
            usage_name,
            state,
            diffusion,
            category,
            created_on,
        ) = pick(row)
        if not _is_digits(siren, 9):
            return f"Siren invalide : {siren[:20]!r}"
        if state not in LEGAL_UNIT_STATES:
            return f"etatAdministratifUniteLegale invalide : {state[:10]!r}"
        if diffusion not in DIFFUSION_STATUSES:
            return f"statutDiffusionUniteLegale invalide : {diffusion[:10]!r}"
        denomination = legal_unit_denomination(
            legal_name=legal_name, first_name=first_name, last_name=last_name
        )
        return (
            siren,
            denomination,
            legal_name,
            last_name,
            first_name,
            usage_name,
            state,
            diffusion,
            category,
            created_on,
        )

    return parse


LEGAL_UNITS = StockSchema(
    label="unités légales",
    table="directory_legal_unit",
    key="siren",
    db_columns=LEGAL_UNIT_COLUMNS,
    required=LEGAL_UNIT_SOURCES,
    make_parser=make_legal_unit_parser,
    sql_columns=(
        "{siren}",
        "CASE WHEN coalesce({denominationUniteLegale}, '') <> '' THEN {denominationUniteLegale}"
        " ELSE concat_ws(' ', nullif({prenom1UniteLegale}, ''), nullif({nomUniteLegale}, ''))"
        " END",
        *(_text(name) for name in LEGAL_UNIT_SOURCES[1:]),
    ),
    unique_constraint="directory_legal_unit_unique_siren",
    sql_checks=(
        _digits("siren", "Siren", 9),
        _one_of("etatAdministratifUniteLegale", LEGAL_UNIT_STATES, 10),
        _one_of("statutDiffusionUniteLegale", DIFFUSION_STATUSES, 10),
    ),
)
