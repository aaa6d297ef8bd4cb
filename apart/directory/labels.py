"""Human labels of the codes the INSEE uses in the SIRENE address columns."""

# typeVoieEtablissement: the INSEE code list (documentation of the Sirene files, "Type de voie").
STREET_TYPES: dict[str, str] = {
    "ALL": "Allée",
    "AV": "Avenue",
    "BD": "Boulevard",
    "CAR": "Carrefour",
    "CHE": "Chemin",
    "CHS": "Chaussée",
    "CITE": "Cité",
    "COR": "Corniche",
    "CRS": "Cours",
    "DOM": "Domaine",
    "DSC": "Descente",
    "ECA": "Écart",
    "ESP": "Esplanade",
    "FG": "Faubourg",
    "GR": "Grande Rue",
    "HAM": "Hameau",
    "HLE": "Halle",
    "IMP": "Impasse",
    "LD": "Lieu-dit",
    "LOT": "Lotissement",
    "MAR": "Marché",
    "MTE": "Montée",
    "PARC": "Parc",
    "PAS": "Passage",
    "PL": "Place",
    "PLN": "Plaine",
    "PLT": "Plateau",
    "PRO": "Promenade",
    "PRV": "Parvis",
    "QUA": "Quartier",
    "QUAI": "Quai",
    "RES": "Résidence",
    "RLE": "Ruelle",
    "ROC": "Rocade",
    "RPT": "Rond-point",
    "RTE": "Route",
    "RUE": "Rue",
    "SEN": "Sentier",
    "SQ": "Square",
    "TPL": "Terre-plein",
    "TRA": "Traverse",
    "VLA": "Villa",
    "VLGE": "Village",
}

# indiceRepetitionEtablissement: B bis, T ter, Q quater, C quinquies; the API may spell them out.
REPETITION_INDICES: dict[str, str] = {
    "B": "bis",
    "T": "ter",
    "Q": "quater",
    "C": "quinquies",
    "BIS": "bis",
    "TER": "ter",
    "QUATER": "quater",
    "QUINQUIES": "quinquies",
}


def street_type_label(code: str) -> str:
    """ "RUE" -> "Rue"; a code outside the list is shown as it came, capitalised."""
    code = (code or "").strip()
    return STREET_TYPES.get(code.upper(), code.capitalize())


def repetition_label(code: str) -> str:
    """ "B" -> "bis"; other letters (A, D...) are kept as they are."""
    code = (code or "").strip()
    return REPETITION_INDICES.get(code.upper(), code)
