"""Issues and risks (问题上报) of projects, escalated when overdue."""
