"""Notifications: e-mails about transitions, challenges and mentions, each a row first."""
