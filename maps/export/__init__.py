"""File exports, one writer plugin per format: GeoJSON (:mod:`.geojson`), CSV with ACLED's
column names (:mod:`.csv`), GeoPackage (:mod:`.gpkg`) and GeoParquet (:mod:`.parquet`), the
last two built from the same GIS tables (:mod:`.frames`).

Each writer implements :class:`geo.build.outputs.Writer` and writes through
:func:`geo.build.outputs.write_if_changed`, so files are replaced atomically and only when their
content changes.
"""
