"""``map.html``, the layered, self-contained, time-aware Folium map (:mod:`.render`), and its
parts: the map elements (:mod:`.elements`), the inlined Leaflet assets (:mod:`.assets`), the
offline basemap (:mod:`.basemap`), popups (:mod:`.popups`) and the event styles
(:mod:`.style`)."""
