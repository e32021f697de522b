"""Events from a :class:`~geo.text.document.Document`: triggers, places, dates, actors, transfers,
and merging (:mod:`.extract` is the entry point: :func:`~geo.events.extract.extract_events`).
"""
