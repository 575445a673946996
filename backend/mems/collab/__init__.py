"""Collaboration on any object: comments with @mentions, and attachments."""
