"""The answer chain: retrieve → generate (extractive or LLM) → verify → triage."""
