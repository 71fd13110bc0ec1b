// Builds static_build/ from npm packages and frontend/: compiled CSS and the scripts the pages load.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static_build");
const govuk = join(root, "node_modules/govuk-frontend/dist/govuk");

mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "js"), { recursive: true });

const css = sass.compile(join(root, "frontend/scss/app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "css/app.css"), css.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "js/govuk-frontend.min.js"));
cpSync(join(root, "frontend/js/app.mjs"), join(out, "js/app.mjs"));
cpSync(join(root, "node_modules/htmx.org/dist/htmx.min.js"), join(out, "js/htmx.min.js"));
// The find-support map: Leaflet with its stylesheet and marker images (leaflet.css finds them in images/).
const leaflet = join(root, "node_modules/leaflet/dist");
mkdirSync(join(out, "leaflet"), { recursive: true });
for (const file of ["leaflet.js", "leaflet.css"]) cpSync(join(leaflet, file), join(out, "leaflet", file));
cpSync(join(leaflet, "images"), join(out, "leaflet/images"), { recursive: true });
cpSync(join(root, "frontend/js/find-support-map.js"), join(out, "js/find-support-map.js"));
// The card page of a top-up: Stripe's Payment Element (Stripe.js itself loads from js.stripe.com).
cpSync(join(root, "frontend/js/top-up-card.mjs"), join(out, "js/top-up-card.mjs"));
// Images only: the fonts are GOV.UK's own and are not used here.
cpSync(join(govuk, "assets/images"), join(out, "govuk/assets/images"), { recursive: true });
cpSync(join(root, "frontend/images"), join(out, "images"), { recursive: true });
console.log("built static_build/");
