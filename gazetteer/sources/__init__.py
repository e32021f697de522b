"""Gazetteer sources, one module each (:class:`~gazetteer.sources.base.Source`): GeoNames, Natural
Earth, the curated overlay, user boundaries, and the opt-in online fallback.
"""
