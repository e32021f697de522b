"""Text facts every stage shares: the :class:`~geo.text.document.Document` of a source, its
paragraphs, sentences and clauses, datelines, tense, and the fast alternation scanner.
"""
