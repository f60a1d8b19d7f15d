"""Partners: the organisations named in an area's partnership, and their representatives."""
