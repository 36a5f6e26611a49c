"""Indexing pipeline: load, normalise, structure, extract, segment, embed, store."""
