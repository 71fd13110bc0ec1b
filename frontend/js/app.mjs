// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

initAll();

document.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.target });
});

// htmx leaves the page as it was on an error answer. A 503 from a search page carries the message that
// search is not working now: show it in place, as the page without JavaScript does.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 503) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
