// The find-support page's map of results: progressive enhancement only. The list of results is the
// page's content; without JavaScript, without Leaflet or without tiles the map simply stays hidden or
// shows the markers on a plain background.
//
// The page gives what to draw as JSON (json_script), never as inline script: the map's settings in
// #find-support-map-config and the results of the current page in #find-support-places, which htmx
// replaces with the results whenever the filters change.
(function () {
  "use strict";

  var MAP_HEIGHT = "22rem";
  var map = null;
  var mapContainer = null;
  var markers = null;

  function readJson(id) {
    var element = document.getElementById(id);
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function createMap(container, config) {
    container.hidden = false;
    // Set here rather than in a stylesheet: the box only exists once this script has run.
    container.style.height = MAP_HEIGHT;
    var created = window.L.map(container, { scrollWheelZoom: false });
    if (config.tileUrl) {
      var tiles = window.L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 18 });
      // A tile that cannot load leaves the plain background: the markers and the list still work.
      tiles.on("tileerror", function (event) {
        event.tile.alt = "";
      });
      tiles.addTo(created);
    }
    markers = window.L.layerGroup().addTo(created);
    return created;
  }

  function popupFor(place) {
    var content = document.createElement("div");
    var link = document.createElement("a");
    link.className = "govuk-link";
    link.href = place.url;
    link.textContent = place.name;
    content.appendChild(link);
    var provider = document.createElement("p");
    provider.className = "govuk-body-s govuk-!-margin-bottom-0";
    provider.textContent = place.is_approximate ? place.provider + " (the centre of their area)" : place.provider;
    content.appendChild(provider);
    return content;
  }

  function draw() {
    var container = document.getElementById("find-support-map");
    var config = readJson("find-support-map-config");
    var places = readJson("find-support-places") || [];
    if (!container || !config || !window.L) return;
    if (!places.length) {
      container.hidden = true;
      return;
    }
    if (container !== mapContainer) {
      // A new search without results removed the box; a later one brought a new box.
      if (map) map.remove();
      map = createMap(container, config);
      mapContainer = container;
    }
    markers.clearLayers();
    var points = places.map(function (place) {
      var point = [place.latitude, place.longitude];
      window.L.marker(point, { alt: place.name, title: place.name, keyboard: true })
        .bindPopup(popupFor(place))
        .addTo(markers);
      return point;
    });
    map.invalidateSize();
    map.fitBounds(points, { maxZoom: 13, padding: [24, 24] });
  }

  draw();
  document.addEventListener("htmx:afterSettle", draw);
})();
