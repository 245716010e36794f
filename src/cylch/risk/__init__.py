"""Cumulative risk: rules kept as data, evaluated as events land and in a full rescan, and the alerts they raise."""
