"""What a generator hands to the verifier: the answer body and the citations it claims."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.legal import Citation


@dataclass
class Draft:
    body: str
    citations: list[Citation]
    generator: str  # "extractive" | "llm"
    notes: list[str] = field(default_factory=list)  # why this draft looks the way it does, for the trace
