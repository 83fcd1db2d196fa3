"""Checking answers against the engine and explaining what is wrong."""
