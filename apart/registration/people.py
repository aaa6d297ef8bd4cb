"""The "Compte utilisateur à créer" block of step 2, shared by registrations and claims."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonDetails:
    """The "Compte utilisateur à créer" block of step 2, cleaned."""

    last_name: str
    first_name: str
    phone: str
    email: str
    secret_question: str
    secret_answer: str
