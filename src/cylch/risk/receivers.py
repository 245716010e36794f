"""Incremental evaluation: when something lands that a rule may look at, evaluate it once the write commits."""
