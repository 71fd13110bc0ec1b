"""A stand-in for an Elasticsearch cluster at the client's HTTP boundary.

No Elasticsearch can run on the machines the tests run on, so the tests give the real client
(``elasticsearch.Elasticsearch``, with its serialisation, bulk helpers and error classes) a node that
records every request instead of sending it, and answers with canned bodies shaped like a cluster's.
What the tests assert is what a cluster would receive.
"""

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders, NodeConfig
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch

PRODUCT_HEADERS = {"x-elastic-product": "Elasticsearch", "content-type": "application/json"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    params: dict[str, str]
    body: Any  # the JSON body; a list of lines for the bulk API's newline-delimited JSON

    @property
    def call(self) -> tuple[str, str]:
        return (self.method, self.path)


@dataclass
class Answer:
    status: int
    body: Any


@dataclass
class FakeCluster:
    requests: list[Request] = field(default_factory=list)
    answers: dict[tuple[str, str], list[Answer]] = field(default_factory=dict)
    # Bulk items that fail, by document id: (status, error or result) — everything else succeeds.
    bulk_failures: dict[str, tuple[int, dict]] = field(default_factory=dict)

    def on(self, method: str, path: str, body: Any = None, status: int = 200) -> None:
        """Answer this call so; several answers for one call are given in turn, the last one from then on."""
        self.answers.setdefault((method, path), []).append(Answer(status, body if body is not None else {}))

    def client(self) -> Elasticsearch:
        node_class = type("FakeNode", (FakeNode,), {"cluster": self})
        return Elasticsearch("http://search.test:9200", node_class=node_class, max_retries=0)

    def calls(self) -> list[tuple[str, str]]:
        return [request.call for request in self.requests]

    def bodies(self, method: str, path: str) -> list[Any]:
        return [request.body for request in self.requests if request.call == (method, path)]

    def respond(self, request: Request) -> Answer:
        if request.path.endswith("_bulk"):
            return Answer(200, self._bulk_answer(request.body))
        queue = self.answers.get(request.call)
        if not queue:
            if request.method == "HEAD":
                return Answer(404, None)
            raise AssertionError(f"The fake cluster has no answer for {request.method} {request.path}")
        return queue.pop(0) if len(queue) > 1 else queue[0]

    def _bulk_answer(self, lines: list[dict]) -> dict:
        items, position = [], 0
        while position < len(lines):
            operation, meta = next(iter(lines[position].items()))
            position += 1 if operation == "delete" else 2
            status, extra = self.bulk_failures.get(meta["_id"], (201 if operation == "index" else 200, {}))
            items.append({operation: {"_index": meta.get("_index"), "_id": meta["_id"], "status": status, **extra}})
        return {"took": 3, "errors": any(item[next(iter(item))]["status"] >= 300 for item in items), "items": items}


class FakeNode(BaseNode):
    cluster: FakeCluster

    def __init__(self, config: NodeConfig) -> None:
        super().__init__(config)

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):  # type: ignore[no-untyped-def]
        url = urlsplit(target)
        request = Request(method, url.path, dict(parse_qsl(url.query)), _decoded(body, bulk=url.path.endswith("_bulk")))
        self.cluster.requests.append(request)
        answer = self.cluster.respond(request)
        meta = ApiResponseMeta(
            status=answer.status,
            http_version="1.1",
            headers=HttpHeaders(PRODUCT_HEADERS),
            duration=0.0,
            node=self.config,
        )
        raw = b"" if method == "HEAD" else json.dumps(answer.body).encode()
        return NodeApiResponse(meta, raw)


def _decoded(body: bytes | None, *, bulk: bool) -> Any:
    if not body:
        return None
    if bulk:
        return [json.loads(line) for line in body.decode().splitlines() if line]
    return json.loads(body)


def missing_index(name: str) -> dict:
    """The body of Elasticsearch's 404 for an index or alias that does not exist."""
    return {
        "error": {"type": "index_not_found_exception", "reason": f"no such index [{name}]", "index": name},
        "status": 404,
    }
