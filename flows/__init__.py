"""Frontline: news reports about the Russia-Ukraine war into a DuckDB warehouse."""
