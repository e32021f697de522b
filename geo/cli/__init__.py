"""The ``conflictmap`` command: a thin click layer (:mod:`.main`, and the gazetteer's commands in
:mod:`.gazetteer`) over the library.
"""
