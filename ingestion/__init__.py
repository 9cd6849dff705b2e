"""Curator-side ingestion: loaders, legal structure parser, ingest pipeline and CLI."""
