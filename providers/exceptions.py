class ProvidersError(Exception):
    """A rule of the providers domain was broken; the message is written for the user."""


class PostcodeError(ProvidersError):
    pass


class TransitionNotAllowed(ProvidersError):
    pass


class ImportFailed(ProvidersError):
    """An import found errors; nothing was saved. ``errors`` lists (line number, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} error{'s' if len(errors) != 1 else ''}; nothing was imported")


class UploadRejected(ProvidersError):
    pass
