"""Evaluation of congdoan: question sets, retrieval and answer metrics, reports."""
