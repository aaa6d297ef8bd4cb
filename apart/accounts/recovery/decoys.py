"""Decoy secret questions, shown for values that match no account.

Each typed value always gets the same decoy (an HMAC of the folded value, keyed with SECRET_KEY,
picks it), so that asking twice cannot reveal that the question is made up. The list holds
questions such as people write them (the question is free text at registration; the guide's own
example is « cylindrée »).
"""

from apart.accounts.recovery.guards import keyed_digest

DECOY_QUESTIONS = (
    "Nom de mon premier animal de compagnie ?",
    "Ville de naissance de ma mère ?",
    "Nom de mon école primaire ?",
    "Marque de ma première voiture ?",
    "Prénom de mon meilleur ami d'enfance ?",
    "Nom de jeune fille de ma grand-mère ?",
    "Mon plat préféré ?",
    "Ville de mon premier emploi ?",
    "Nom de mon instituteur de CP ?",
    "Titre de mon livre préféré ?",
    "Couleur de ma première voiture ?",
    "Prénom de mon parrain ?",
    "Lieu de mes premières vacances ?",
    "Nom de mon premier employeur ?",
    "Mon sport préféré ?",
    "cylindrée",
)


def decoy_question(typed_key: str) -> str:
    digest = keyed_digest("decoy-question:" + typed_key)
    return DECOY_QUESTIONS[int(digest[:8], 16) % len(DECOY_QUESTIONS)]
