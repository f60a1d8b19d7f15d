"""The bottom layer: errors, timestamps, working days, the state-machine kernel and who to
notify. It imports no other app of the portal."""
