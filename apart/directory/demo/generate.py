"""Generate the demo SIRENE extract (fictional establishments, official 3.11 CSV format).

    python -m apart.directory.demo.generate     # rewrites the two CSVs next to this file

Deterministic: a seeded random generator, so the files only change when this script does. The
showcase SIRETs of samples.py come first; then about a thousand fictional companies with one
to six establishments each (head offices and secondary ones, closed ones, non-diffusible ones,
entrepreneurs individuels), La Poste offices (SIREN 356000000) and overseas postal codes.
"""

import csv
import random
import sys
from pathlib import Path

from apart.directory.demo.columns import ESTABLISHMENT_HEADER, LEGAL_UNIT_HEADER
from apart.directory.demo.companies import Company, Establishment, Generator, companies

__all__ = ["ESTABLISHMENTS_FILE", "ESTABLISHMENT_HEADER", "LEGAL_UNITS_FILE", "LEGAL_UNIT_HEADER"]

HERE = Path(__file__).resolve().parent
ESTABLISHMENTS_FILE = HERE / "StockEtablissement_demo.csv"
LEGAL_UNITS_FILE = HERE / "StockUniteLegale_demo.csv"
MASKED = "[ND]"
WORKFORCE = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", ""]
PROCESSED = "2024-03-22T10:12:43"


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
