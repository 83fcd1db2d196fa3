"""A class's teacher side: the report over every learner's progress (headless)."""
