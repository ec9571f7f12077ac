"""Errors whose text is meant for the user."""


class ReportFileError(Exception):
    """A file could not be read or written as a report; ``str(err)`` says in Chinese what and where."""
