"""The domain: sources in (:mod:`.ingest`), text facts (:mod:`.text`), dates (:mod:`.dates`),
events (:mod:`.events`), the build (:mod:`.build`) and the command line (:mod:`.cli`).
"""
