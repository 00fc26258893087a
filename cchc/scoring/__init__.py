"""Scoring: rules, layers, index, bands, ranking."""
