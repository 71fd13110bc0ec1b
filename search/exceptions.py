class SearchError(Exception):
    """Something went wrong in the search engine; the message is written for the user."""


class InvalidQuery(SearchError):
    """A query that cannot be run. ``errors`` maps each field of ``SearchQuery`` to what is wrong with it.

    The open API answers 400 with these; the find-support page shows them in a GOV.UK error summary.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class SearchUnavailable(SearchError):
    """The search backend cannot answer now (a cluster is down): the page says so, the API answers 503."""
