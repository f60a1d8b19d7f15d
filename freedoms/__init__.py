"""Freedoms and flexibilities: requests, routing to policy owners, answers, the register."""
