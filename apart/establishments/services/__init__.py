"""Changes of state of establishments, one module per area: spaces (a SIRET gets its space),
invitations, colleagues, the fiche and its bank details. Each change runs in one transaction,
writes its audit row and queues its emails in that transaction. The reads are in
apart.establishments.selectors (membership is described there)."""
