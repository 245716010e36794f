"""The 12Cs pages, one module per area; thin: forms in, services and selectors out."""
