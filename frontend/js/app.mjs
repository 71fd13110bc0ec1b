// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

initAll();

document.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.target });
});
