"""Generate the demo SIRENE extract (fictional establishments, official 3.11 CSV format).

    python apart/directory/demo/generate.py            # rewrites the two CSVs next to this file

Deterministic: a seeded random generator, so the files only change when this script does. The
showcase SIRETs of samples.py come first; then about a thousand fictional companies with one
to six establishments each (head offices and secondary ones, closed ones, non-diffusible ones,
entrepreneurs individuels), La Poste offices (SIREN 356000000) and overseas postal codes.
"""

import csv
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from stdnum import luhn

HERE = Path(__file__).resolve().parent
ESTABLISHMENTS_FILE = HERE / "StockEtablissement_demo.csv"
LEGAL_UNITS_FILE = HERE / "StockUniteLegale_demo.csv"
SEED = 20_240_601
COMPANIES = 1_200
MASKED = "[ND]"

# Column order of StockEtablissement_utf8.csv, format 3.11.
ESTABLISHMENT_HEADER = [
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement",
    "etablissementSiege",
    "nombrePeriodesEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "distributionSpecialeEtablissement",
    "codeCommuneEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "complementAdresse2Etablissement",
    "numeroVoie2Etablissement",
    "indiceRepetition2Etablissement",
    "typeVoie2Etablissement",
    "libelleVoie2Etablissement",
    "codePostal2Etablissement",
    "libelleCommune2Etablissement",
    "libelleCommuneEtranger2Etablissement",
    "distributionSpeciale2Etablissement",
    "codeCommune2Etablissement",
    "codeCedex2Etablissement",
    "libelleCedex2Etablissement",
    "codePaysEtranger2Etablissement",
    "libellePaysEtranger2Etablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
]

# Column order of StockUniteLegale_utf8.csv, format 3.11.
LEGAL_UNIT_HEADER = [
    "siren",
    "statutDiffusionUniteLegale",
    "unitePurgeeUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "sexeUniteLegale",
    "prenom1UniteLegale",
    "prenom2UniteLegale",
    "prenom3UniteLegale",
    "prenom4UniteLegale",
    "prenomUsuelUniteLegale",
    "pseudonymeUniteLegale",
    "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale",
    "nombrePeriodesUniteLegale",
    "categorieEntreprise",
    "anneeCategorieEntreprise",
    "dateDebut",
    "etatAdministratifUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "denominationUniteLegale",
    "denominationUsuelle1UniteLegale",
    "denominationUsuelle2UniteLegale",
    "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale",
]

# (postal code, libelleCommuneEtablissement, codeCommuneEtablissement)
METROPOLE = [
    ("75008", "PARIS 8", "75108"),
    ("75011", "PARIS 11", "75111"),
    ("75015", "PARIS 15", "75115"),
    ("69003", "LYON 3E ARRONDISSEMENT", "69383"),
    ("13001", "MARSEILLE 1ER ARRONDISSEMENT", "13201"),
    ("31000", "TOULOUSE", "31555"),
    ("44000", "NANTES", "44109"),
    ("59000", "LILLE", "59350"),
    ("67000", "STRASBOURG", "67482"),
    ("33000", "BORDEAUX", "33063"),
    ("35000", "RENNES", "35238"),
    ("21000", "DIJON", "21231"),
    ("87000", "LIMOGES", "87085"),
    ("20000", "AJACCIO", "2A004"),
    ("63000", "CLERMONT-FERRAND", "63113"),
    ("29200", "BREST", "29019"),
]
OVERSEAS = [
    ("97110", "POINTE-A-PITRE", "97120"),
    ("97200", "FORT-DE-FRANCE", "97209"),
    ("97232", "LE LAMENTIN", "97213"),
    ("97300", "CAYENNE", "97302"),
    ("97400", "SAINT-DENIS", "97411"),
    ("97460", "SAINT-PAUL", "97415"),
    ("97500", "SAINT-PIERRE", "97502"),
    ("97600", "MAMOUDZOU", "97611"),
]
STREET_TYPES = ["RUE"] * 8 + ["AV"] * 3 + ["BD"] * 2 + ["ALL", "CHE", "IMP", "PL", "RTE", "QUAI"]
STREET_NAMES = [
    "DE LA REPUBLIQUE",
    "VICTOR HUGO",
    "DES LILAS",
    "DU GENERAL DE GAULLE",
    "JEAN JAURES",
    "DES TILLEULS",
    "DU MOULIN",
    "DE LA GARE",
    "PASTEUR",
    "DES ECOLES",
    "DU PORT",
    "GAMBETTA",
    "DES CERISIERS",
    "DE LA LIBERATION",
    "SAINT-EXUPERY",
    "DES VIGNES",
]
REPETITIONS = ["B", "T", "Q", "C"]
COMPLEMENTS = ["BATIMENT B", "ZI DES ESSARTS", "RESIDENCE LES PINS", "2EME ETAGE", "ZA DU BOIS"]
ACTIVITIES = [
    ("10.71C", "BOULANGERIE"),
    ("45.20A", "GARAGE"),
    ("47.11D", "SUPERETTE"),
    ("56.10A", "RESTAURANT"),
    ("62.01Z", "INFORMATIQUE"),
    ("69.20Z", "CABINET COMPTABLE"),
    ("43.32A", "MENUISERIE"),
    ("49.41A", "TRANSPORTS"),
    ("47.73Z", "PHARMACIE"),
    ("96.02A", "SALON DE COIFFURE"),
    ("55.10Z", "HOTEL"),
    ("18.12Z", "IMPRIMERIE"),
]
PLACES = [
    "DES TILLEULS",
    "DU VALLON",
    "DU PORT",
    "DU MOULIN",
    "DES TROIS CHENES",
    "DE LA CORNICHE",
    "DU BOCAGE",
    "DES ALIZES",
    "DU CANAL",
    "DE LA COLLINE",
    "DES HALLES",
    "DU LAVOIR",
]
FIRST_NAMES = [
    ("CAMILLE", "2"),
    ("LUCAS", "1"),
    ("MANON", "2"),
    ("HUGO", "1"),
    ("CHLOE", "2"),
    ("NOAH", "1"),
    ("INES", "2"),
    ("LEO", "1"),
    ("LEA", "2"),
    ("ARTHUR", "1"),
]
LAST_NAMES = [
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "LEFEBVRE",
    "FONTAINE",
    "CHEVALIER",
    "PAYET",
    "HOARAU",
]
LEGAL_FORMS = ["5710", "5710", "5499", "5499", "5720", "5498", "9220"]
WORKFORCE = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", ""]
PROCESSED = "2024-03-22T10:12:43"


def siren_from(prefix8: str) -> str:
    return prefix8 + luhn.calc_check_digit(prefix8)


def siret_from(siren: str, rank: int) -> str:
    """The rank-th NIC of a SIREN, with the check digit that makes the SIRET Luhn-valid."""
    base = f"{siren}{rank:04d}"
    return base + luhn.calc_check_digit(base)


@dataclass
class Establishment:
    siret: str
    head_office: bool
    address: tuple[str, str, str]
    naf: str
    state: str = "A"
    diffusion: str = "O"
    sign: str = ""
    usual_name: str = ""
    street: tuple[str, str, str, str] | None = None  # number, repetition, type, name
    complement: str = ""


@dataclass
class Company:
    siren: str
    legal_name: str = ""
    first_name: str = ""
    sex: str = ""
    last_name: str = ""
    legal_form: str = "5710"
    naf: str = "62.01Z"
    diffusion: str = "O"
    establishments: list[Establishment] = field(default_factory=list)

    @property
    def is_individual(self) -> bool:
        return self.legal_form == "1000"


class Generator:
    def __init__(self, seed: int = SEED) -> None:
        self.random = random.Random(seed)  # noqa: S311 (fictional data, reproducible)
        self.used: set[str] = set()

    def street(self) -> tuple[str, str, str, str]:
        pick = self.random
        repetition = pick.choice(REPETITIONS) if pick.random() < 0.06 else ""
        return (
            str(pick.randint(1, 250)),
            repetition,
            pick.choice(STREET_TYPES),
            pick.choice(STREET_NAMES),
        )

    def address(self, overseas_share: float = 0.1) -> tuple[str, str, str]:
        pool = OVERSEAS if self.random.random() < overseas_share else METROPOLE
        return self.random.choice(pool)

    def new_siren(self) -> str:
        while True:
            siren = siren_from(str(self.random.randint(30_000_000, 99_999_999)))
            if siren not in self.used and not siren.startswith("356"):
                self.used.add(siren)
                return siren

    def company(self) -> Company:
        pick = self.random
        naf, trade = pick.choice(ACTIVITIES)
        siren = self.new_siren()
        if pick.random() < 0.3:
            first_name, sex = pick.choice(FIRST_NAMES)
            company = Company(
                siren=siren,
                first_name=first_name,
                sex=sex,
                last_name=pick.choice(LAST_NAMES),
                legal_form="1000",
                naf=naf,
                diffusion="P" if pick.random() < 0.25 else "O",
            )
        else:
            name = f"{trade} {pick.choice(PLACES)}"
            if pick.random() < 0.3:
                name = f"{trade} {pick.choice(LAST_NAMES)} ET FILS"
            company = Company(
                siren=siren, legal_name=name, legal_form=pick.choice(LEGAL_FORMS), naf=naf
            )
        count = 1 if company.is_individual else pick.choice([1, 1, 2, 2, 3, 3, 4, 5, 6])
        for rank in range(1, count + 1):
            establishment = Establishment(
                siret=siret_from(siren, rank),
                head_office=rank == 1,
                address=self.address(),
                naf=naf,
                state="F" if pick.random() < (0.05 if rank == 1 else 0.2) else "A",
                diffusion=company.diffusion,
                sign=pick.choice(["", "", "", f"{trade} {pick.choice(PLACES)}"]),
                usual_name=pick.choice(["", "", "", "", f"{trade} {pick.choice(LAST_NAMES)}"]),
                street=self.street(),
                complement=pick.choice(COMPLEMENTS) if pick.random() < 0.15 else "",
            )
            company.establishments.append(establishment)
        return company

    def la_poste(self) -> Company:
        company = Company(siren="356000000", legal_name="LA POSTE", legal_form="5510")
        company.naf = "53.10Z"
        company.establishments.append(
            Establishment(
                siret="35600000000048",
                head_office=True,
                address=("75015", "PARIS 15", "75115"),
                naf="64.19Z",
                street=("9", "", "RUE", "DU COLONEL PIERRE AVIA"),
            )
        )
        nics: set[str] = set()
        while len(nics) < 40:
            nic = f"{self.random.randint(1, 99_999):05d}"
            # La Poste's offices: the SIRET's digit sum is a multiple of 5 (no Luhn key).
            if nic != "00048" and sum(map(int, "356000000" + nic)) % 5 == 0:
                nics.add(nic)
        for index, nic in enumerate(sorted(nics)):
            company.establishments.append(
                Establishment(
                    siret="356000000" + nic,
                    head_office=False,
                    address=self.address(overseas_share=0.3),
                    naf="53.10Z",
                    state="F" if index % 10 == 9 else "A",
                    usual_name="BUREAU DE POSTE",
                    street=self.street(),
                )
            )
        return company


def showcase() -> list[Company]:
    """The companies behind the SIRETs of samples.py."""
    bakery = Company(siren="812345676", legal_name="BOULANGERIE DES TILLEULS", naf="10.71C")
    bakery.establishments = [
        Establishment(
            siret="81234567600017",
            head_office=True,
            address=("75011", "PARIS 11", "75111"),
            naf="10.71C",
            street=("12", "B", "RUE", "DES TILLEULS"),
            complement="BATIMENT A",
        ),
        Establishment(
            siret="81234567600025",
            head_office=False,
            address=("69003", "LYON 3E ARRONDISSEMENT", "69383"),
            naf="10.71C",
            sign="LES TILLEULS LYON",
            street=("4", "", "AV", "JEAN JAURES"),
        ),
        Establishment(
            siret="81234567600033",
            head_office=False,
            address=("59000", "LILLE", "59350"),
            naf="10.71C",
            state="F",
            street=("30", "", "BD", "DE LA LIBERTE"),
        ),
    ]
    artisan = Company(
        siren="823456785",
        first_name="CAMILLE",
        sex="2",
        last_name="MARTIN",
        legal_form="1000",
        naf="43.32A",
    )
    artisan.establishments = [
        Establishment(
            siret="82345678500018",
            head_office=True,
            address=("35000", "RENNES", "35238"),
            naf="43.32A",
            sign="ATELIER CAMILLE",
            street=("7", "T", "IMP", "DU LAVOIR"),
        )
    ]
    hidden = Company(
        siren="834567893",
        first_name="HUGO",
        sex="1",
        last_name="DURAND",
        legal_form="1000",
        naf="69.20Z",
        diffusion="P",
    )
    hidden.establishments = [
        Establishment(
            siret="83456789300013",
            head_office=True,
            address=("44000", "NANTES", "44109"),
            naf="69.20Z",
            diffusion="P",
            street=("18", "", "RUE", "PASTEUR"),
        )
    ]
    overseas = Company(siren="845678903", legal_name="MENUISERIE DU BARACHOIS", naf="43.32A")
    overseas.establishments = [
        Establishment(
            siret="84567890300012",
            head_office=True,
            address=("97400", "SAINT-DENIS", "97411"),
            naf="43.32A",
            street=("25", "", "RUE", "DE PARIS"),
        )
    ]
    ceased = Company(siren="856789011", legal_name="TRANSPORTS DU CANAL", naf="49.41A")
    ceased.establishments = [
        Establishment(
            siret="85678901100017",
            head_office=True,
            address=("21000", "DIJON", "21231"),
            naf="49.41A",
            state="F",
            street=("2", "", "QUAI", "DU PORT"),
        )
    ]
    return [bakery, artisan, hidden, overseas, ceased]


def establishment_row(company: Company, item: Establishment, rng: random.Random) -> list[str]:
    postal_code, city, commune_code = item.address
    number, repetition, street_type, street_name = item.street or ("", "", "", "")
    complement, sign, usual_name = item.complement, item.sign, item.usual_name
    if item.diffusion != "O":
        # Partially diffusible: the INSEE masks everything but the commune and postal code.
        number, repetition, street_type, street_name = MASKED, MASKED, MASKED, MASKED
        complement, sign, usual_name = MASKED, MASKED, MASKED
    workforce = rng.choice(WORKFORCE)
    created = f"{rng.randint(1975, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    values = {
        "siren": company.siren,
        "nic": item.siret[9:],
        "siret": item.siret,
        "statutDiffusionEtablissement": item.diffusion,
        "dateCreationEtablissement": created,
        "trancheEffectifsEtablissement": workforce,
        "anneeEffectifsEtablissement": "2022" if workforce not in {"", "NN"} else "",
        "dateDernierTraitementEtablissement": PROCESSED,
        "etablissementSiege": "true" if item.head_office else "false",
        "nombrePeriodesEtablissement": str(1 if item.state == "A" else 2),
        "complementAdresseEtablissement": complement,
        "numeroVoieEtablissement": number,
        "indiceRepetitionEtablissement": repetition,
        "typeVoieEtablissement": street_type,
        "libelleVoieEtablissement": street_name,
        "codePostalEtablissement": postal_code,
        "libelleCommuneEtablissement": city,
        "codeCommuneEtablissement": commune_code,
        "dateDebut": created if item.state == "A" else "2023-06-30",
        "etatAdministratifEtablissement": item.state,
        "enseigne1Etablissement": sign,
        "denominationUsuelleEtablissement": usual_name,
        "activitePrincipaleEtablissement": item.naf,
        "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
        "caractereEmployeurEtablissement": "O" if workforce not in {"", "NN", "00"} else "N",
    }
    return [values.get(column, "") for column in ESTABLISHMENT_HEADER]


def legal_unit_row(company: Company) -> list[str]:
    ceased = all(item.state == "F" for item in company.establishments)
    head_office = next(item for item in company.establishments if item.head_office)
    masked = company.diffusion != "O"
    values = {
        "siren": company.siren,
        "statutDiffusionUniteLegale": company.diffusion,
        "dateCreationUniteLegale": "2001-01-01",
        "sexeUniteLegale": MASKED if masked else company.sex,
        "prenom1UniteLegale": MASKED if masked else company.first_name,
        "prenomUsuelUniteLegale": MASKED if masked else company.first_name,
        "dateDernierTraitementUniteLegale": PROCESSED,
        "nombrePeriodesUniteLegale": "2" if ceased else "1",
        "categorieEntreprise": "PME",
        "anneeCategorieEntreprise": "2022",
        "dateDebut": "2023-06-30" if ceased else "2001-01-01",
        "etatAdministratifUniteLegale": "C" if ceased else "A",
        "nomUniteLegale": MASKED if masked else company.last_name,
        "denominationUniteLegale": company.legal_name,
        "categorieJuridiqueUniteLegale": company.legal_form,
        "activitePrincipaleUniteLegale": company.naf,
        "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
        "nicSiegeUniteLegale": head_office.siret[9:],
        "economieSocialeSolidaireUniteLegale": "O" if company.legal_form == "9220" else "N",
        "caractereEmployeurUniteLegale": "N",
    }
    return [values.get(column, "") for column in LEGAL_UNIT_HEADER]


def companies(generator: Generator) -> Iterator[Company]:
    for company in showcase():
        generator.used.add(company.siren)
    yield from showcase()
    yield generator.la_poste()
    for _ in range(COMPANIES):
        yield generator.company()


def write(
    establishments_file: Path = ESTABLISHMENTS_FILE, units_file: Path = LEGAL_UNITS_FILE
) -> int:
    generator = Generator()
    rows = 0
    with (
        establishments_file.open("w", encoding="utf-8", newline="") as est_handle,
        units_file.open("w", encoding="utf-8", newline="") as unit_handle,
    ):
        est_writer = csv.writer(est_handle, lineterminator="\n")
        unit_writer = csv.writer(unit_handle, lineterminator="\n")
        est_writer.writerow(ESTABLISHMENT_HEADER)
        unit_writer.writerow(LEGAL_UNIT_HEADER)
        for company in companies(generator):
            unit_writer.writerow(legal_unit_row(company))
            for item in company.establishments:
                est_writer.writerow(establishment_row(company, item, generator.random))
                rows += 1
    return rows


if __name__ == "__main__":
    count = write()
    sys.stdout.write(f"{count} establishments written to {ESTABLISHMENTS_FILE.name}\n")
