"""State changes in the 12Cs toolkit, one module per area; each runs in a transaction and checks permissions."""
