"""The headless course: lesson files read into the model of tutor.course.model."""
