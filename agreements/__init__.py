"""Agreements: one per area per round, with its story of place, targets and funding streams."""
