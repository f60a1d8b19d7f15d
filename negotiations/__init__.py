"""Negotiations: how an agreement moves between locality, Government Office and departments."""
