"""The fictional companies of the demo extract: the showcase ones of samples.py, La Poste's
offices and the seeded random ones, as dataclasses (generate.py writes them as CSV rows)."""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from stdnum import luhn

from apart.directory.demo.pools import (
    ACTIVITIES,
    COMPLEMENTS,
    FIRST_NAMES,
    LAST_NAMES,
    LEGAL_FORMS,
    METROPOLE,
    OVERSEAS,
    PLACES,
    REPETITIONS,
    STREET_NAMES,
    STREET_TYPES,
)

SEED = 20_240_601
COMPANIES = 1_200


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


def companies(generator: Generator) -> Iterator[Company]:
    for company in showcase():
        generator.used.add(company.siren)
    yield from showcase()
    yield generator.la_poste()
    for _ in range(COMPANIES):
        yield generator.company()
