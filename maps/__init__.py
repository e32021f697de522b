"""Rendering and export: the layered Folium map (:mod:`maps.html`) and the GeoJSON, CSV,
GeoPackage and GeoParquet writers (:mod:`maps.export`), both starting from the features of
:mod:`maps.features`.

Writers are plugins registered under the ``conflictmap.writers`` entry-point group (see
pyproject.toml); :func:`geo.build.outputs.get_writer` finds them by format name, so ``geo`` never
imports this package.
"""
