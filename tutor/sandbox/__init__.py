"""Running learner code away from the tutor: a warm worker that forks one limited child per check."""
