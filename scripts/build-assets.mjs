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
cpSync("node_modules/govuk-frontend/dist/govuk/all.bundle.js", `${out}/js/govuk-frontend.js`);
cpSync("node_modules/htmx.org/dist/htmx.min.js", `${out}/js/htmx.min.js`);
console.log(`Built ${out}/ (GOV.UK Frontend, htmx)`);
