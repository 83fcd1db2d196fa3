"""Practice that makes it stick: spaced review (schedule.py) and what builds on it.

Headless: never imports textual.
"""
