"""Recovery of a forgotten password or login (guide, chapters 3 and 4)."""
