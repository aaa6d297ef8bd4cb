"""SIRETs of the shipped demo extract that newcomers and tests can rely on (all fictional,
except La Poste's head office which is public)."""

# BOULANGERIE DES TILLEULS (SAS): head office in Paris, open and diffusible.
DEMO_OPEN_SIRET = "81234567600017"
# Its secondary establishment in Lyon (open) and a closed one.
DEMO_SECONDARY_SIRET = "81234567600025"
DEMO_CLOSED_SIRET = "81234567600033"
# CAMILLE MARTIN, entrepreneur individuel (enseigne ATELIER CAMILLE), open and diffusible.
DEMO_INDIVIDUAL_SIRET = "82345678500018"
# An entrepreneur individuel whose establishment is non-diffusible (statutDiffusion P).
DEMO_NON_DIFFUSIBLE_SIRET = "83456789300013"
# MENUISERIE DU BARACHOIS, Saint-Denis (La Réunion, 97400).
DEMO_OVERSEAS_SIRET = "84567890300012"
# A company that ceased: its only establishment is closed.
DEMO_CEASED_SIRET = "85678901100017"
# La Poste: head office (Luhn) and offices (digit sum multiple of 5).
LA_POSTE_HEAD_OFFICE_SIRET = "35600000000048"
# A valid SIRET that is not in the demo directory.
DEMO_UNKNOWN_SIRET = "91234567500017"
