// Builds static/build/ from the npm packages: GOV.UK Frontend compiled from Sass with the
// portal's settings, its JavaScript bundle and assets, and htmx. The output is not committed.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { compile } from "sass";

const out = "static/build";
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/css`, { recursive: true });
mkdirSync(`${out}/js`, { recursive: true });

const css = compile("static/src/application.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
writeFileSync(`${out}/css/application.css`, css.css);

cpSync("node_modules/govuk-frontend/dist/govuk/assets/images", `${out}/assets/images`, { recursive: true });
cpSync("node_modules/govuk-frontend/dist/govuk/assets/manifest.json", `${out}/assets/manifest.json`);
// Keep the bundle's own name: it points at its source map, which comes along.
for (const file of ["all.bundle.js", "all.bundle.js.map"]) {
  cpSync(`node_modules/govuk-frontend/dist/govuk/${file}`, `${out}/js/govuk-frontend/${file}`);
}
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${out}/js/htmx.min.js`);
for (const file of ["accessible-autocomplete.min.js", "accessible-autocomplete.min.js.map",
                    "accessible-autocomplete.min.css", "accessible-autocomplete.min.css.map"]) {
  cpSync(`node_modules/accessible-autocomplete/dist/${file}`, `${out}/autocomplete/${file}`);
}
console.log(`Built ${out}/ (GOV.UK Frontend, htmx, accessible-autocomplete)`);
