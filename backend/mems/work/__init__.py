"""Work execution: tasks and their schedule (issue 9). `schedule` is the pure scheduler."""
