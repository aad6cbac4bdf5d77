"""Pure decisions over domain values: brief checks and the disclosure rules they apply."""
