"""Adapters: implementations of the ports (clocks, ids, storage backends, integrations)."""
