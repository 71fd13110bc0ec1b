"""The interface every search backend implements; the contract tests (search/tests/contract/) state
its behaviour and run against each backend."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from search.query import SearchQuery, SearchResults

# Called as rebuilding goes on with (offers done, offers in all).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackendHealth:
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class IndexCheck:
    """What ``verify`` found: offers that should be searchable against what the index holds."""

    expected: int
    indexed: int
    missing: list[int] = field(default_factory=list)
    unexpected: list[int] = field(default_factory=list)
    sampled: int = 0
    stale: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.expected == self.indexed and not (self.missing or self.unexpected or self.stale)


class SearchBackend(ABC):
    name: str = "base"

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResults:
        """One page of hits for the query, its total and facet counts.

        Raises ``InvalidQuery`` for a postcode that is not known; only published offers are returned.
        """

    @abstractmethod
    def text_matches(self, text: str) -> list[int]:
        """Ids of every searchable offer whose words match ``text`` (with the same typo tolerance as
        ``search``), for callers that combine words with filters of their own (the open API)."""

    @abstractmethod
    def index(self, offer_ids: Iterable[int]) -> None:
        """Bring these offers up to date: a published offer is (re)indexed, any other is removed."""

    @abstractmethod
    def remove(self, offer_ids: Iterable[int]) -> None:
        """Take these offers out of the index."""

    @abstractmethod
    def rebuild(self, progress: Progress | None = None) -> int:
        """Index every published offer afresh; searches see the old index until the new one is
        complete. Answers how many offers were indexed."""

    @abstractmethod
    def verify(self, sample_size: int = 50) -> IndexCheck:
        """Compare the index with the database: counts, and a sample of documents rebuilt and compared."""

    @abstractmethod
    def health(self) -> BackendHealth:
        """Whether the backend can answer queries now."""
