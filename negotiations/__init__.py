"""Negotiations: the workflow of an agreement between locality, Government Office and departments."""
