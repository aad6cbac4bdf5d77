"""Numeric work over arrays: audience overlap and reach planning (numpy; sketches and plots as
extras)."""
