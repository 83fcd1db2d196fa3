"""Progress on disk: durable, locked, versioned. Headless: never imports textual."""

from tutor.progress.store import ExerciseProgress, Position, ProgressStore

__all__ = ["ExerciseProgress", "Position", "ProgressStore"]
