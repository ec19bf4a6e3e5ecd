"""Writes of citizen participation, one module per area (see the package's modules)."""
