"""OpenAPI links: where an answer's ids lead, so a client (or a stateful fuzzer) can follow what
it created or listed: a participant to its reads, pathways, rights and erasure; a pathway to its
state, steps and appointments; an appointment to its cancellation; a cooperative to its steps."""

from __future__ import annotations

from typing import Any

PREFIX = "/api/v1"
PARTICIPANT = "/participants/{participant_id}"
PATHWAY = "/pathways/{pathway_id}"
COOPERATIVE = "/cooperatives/{cooperative_id}"

_OF_PARTICIPANT = [
    ("get", PARTICIPANT),
    ("put", PARTICIPANT + "/exclusions"),
    ("post", PARTICIPANT + "/pathways"),
    ("get", PARTICIPANT + "/export"),
    ("post", PARTICIPANT + "/erasure"),
    ("get", PARTICIPANT + "/notifications"),
    ("put", PARTICIPANT + "/notification-preferences"),
]
_OF_PATHWAY = [
    ("get", PATHWAY),
    ("get", PATHWAY + "/benefits"),
    ("post", PATHWAY + "/actions"),
    ("post", PATHWAY + "/appointments"),
    ("get", PATHWAY + "/appointments"),
    ("post", PATHWAY + "/sessions"),
    ("get", PATHWAY + "/sessions"),
]
_OF_COOPERATIVE = [
    ("get", COOPERATIVE),
    ("post", COOPERATIVE + "/members"),
    ("post", COOPERATIVE + "/steps"),
]


def _name(method: str, path: str) -> str:
    words = [w.strip("{}").replace("-", "_") for w in path.split("/") if w]
    return method.capitalize() + "".join(w.title().replace("_", "") for w in words)


def _ref(method: str, path: str) -> str:
    pointer = (PREFIX + path).replace("~", "~0").replace("/", "~1")
    return f"#/paths/{pointer}/{method}"


def _to(
    targets: list[tuple[str, str]], parameters: dict[str, str]
) -> dict[str, dict[str, Any]]:
    return {
        _name(method, path): {"operationRef": _ref(method, path), "parameters": parameters}
        for method, path in targets
    }


_ID = "$response.body#/id"
LINKS: dict[tuple[str, str, str], dict[str, Any]] = {
    ("post", PREFIX + "/participants", "201"): _to(_OF_PARTICIPANT, {"participant_id": _ID}),
    ("get", PREFIX + "/participants", "200"): _to(
        _OF_PARTICIPANT, {"participant_id": "$response.body#/items/0/id"}
    ),
    ("post", PREFIX + PARTICIPANT + "/pathways", "201"): _to(_OF_PATHWAY, {"pathway_id": _ID}),
    ("get", PREFIX + PARTICIPANT, "200"): _to(
        _OF_PATHWAY, {"pathway_id": "$response.body#/pathway/id"}
    ),
    ("post", PREFIX + PATHWAY + "/appointments", "201"): _to(
        [("post", PATHWAY + "/appointments/{appointment_id}/cancel")],
        {"pathway_id": "$request.path.pathway_id", "appointment_id": _ID},
    ),
    ("post", PREFIX + PATHWAY + "/sessions", "201"): _to(
        [("post", PATHWAY + "/sessions/{appointment_id}/cancel")],
        {"pathway_id": "$request.path.pathway_id", "appointment_id": _ID},
    ),
    ("post", PREFIX + "/cooperatives", "201"): _to(_OF_COOPERATIVE, {"cooperative_id": _ID}),
}
