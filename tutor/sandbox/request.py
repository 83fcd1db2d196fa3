"""One run as JSON, from the tutor to whatever executes it (worker or plain child)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from tutor.course.model import Limits
from tutor.sandbox.api import Call
from tutor.sandbox.wire import InvalidData, decode, encode


@dataclass(frozen=True)
class Job:
    """A decoded request: what the child needs to run learner code."""

    source: str
    entry: str
    calls: tuple[tuple[Mapping[str, Any], str | None], ...]
    limits: Limits


def encode_request(source: str, entry: str, calls: Sequence[Call], limits: Limits) -> dict[str, Any]:
    return {
        "source": source,
        "entry": entry,
        "calls": [{"args": encode(dict(call.args)), "harness": call.harness} for call in calls],
        "limits": {"time_s": limits.time_s, "output_bytes": limits.output_bytes, "memory_mb": limits.memory_mb},
    }


def decode_request(data: Any) -> Job:
    if type(data) is not dict:
        raise InvalidData("request is not an object")
    try:
        calls = []
        for call in data["calls"]:
            args = decode(call["args"])
            if type(args) is not dict:
                raise InvalidData("call arguments are not a dict")
            harness = call.get("harness")
            calls.append((args, None if harness is None else str(harness)))
        raw_limits = data["limits"]
        limits = Limits(
            time_s=float(raw_limits["time_s"]),
            output_bytes=int(raw_limits["output_bytes"]),
            memory_mb=int(raw_limits["memory_mb"]),
        )
        return Job(source=str(data["source"]), entry=str(data["entry"]), calls=tuple(calls), limits=limits)
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidData(f"malformed request: {error!r}") from None
