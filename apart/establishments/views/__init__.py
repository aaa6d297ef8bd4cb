"""Pages of the establishments in the employer's space, one module per area."""
