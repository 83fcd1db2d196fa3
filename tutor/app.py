"""`from tutor.app import TutorApp`: the importable app class (it lives in tutor/ui)."""

from tutor.ui.app import TutorApp

__all__ = ["TutorApp"]
