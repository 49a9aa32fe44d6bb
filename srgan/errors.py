"""The one exception type the ``srgan`` command reports as a user mistake."""

__all__ = ["UsageError"]


class UsageError(ValueError):
    """A mistake of the user's (bad path, unknown name, mismatched file): one line, exit status 2."""
