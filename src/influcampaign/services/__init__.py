"""The application layer: use cases that load, decide, save and emit events in one transaction."""
