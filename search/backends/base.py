from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class BackendHealth:
    ok: bool
    detail: str = ""


class SearchBackend(ABC):
    name: str = "base"

    @abstractmethod
    def health(self) -> BackendHealth:
        """Whether the backend can answer queries now."""
