"""The rule every agent decision shares: nobody decides on a request of his own."""

from typing import Any

OWN_DECISION = (
    "Vous ne pouvez pas décider d'une demande qui vous concerne : un autre agent doit la traiter."
)


def concerns(actor: Any, *account_ids: Any) -> bool:
    """True when ``actor`` is one of the accounts a request is about (its holder, its author,
    a member of its establishment). A missing actor (the system) is nobody's interest."""
    pk = getattr(actor, "pk", None)
    return pk is not None and pk in {account_id for account_id in account_ids if account_id}
