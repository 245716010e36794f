"""Reads for the 12Cs toolkit, one module per area; what a user may see is decided here and in permissions."""
