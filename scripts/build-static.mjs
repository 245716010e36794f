// Builds the static files Django serves from src/cylch/core/static/ (both outputs are gitignored):
//   cylch.css  compiled from src/cylch/core/static_src/cylch.scss with dart-sass (pure JavaScript)
//   govuk/     GOV.UK Frontend's JavaScript (ES module + source map) and assets (fonts, images, manifest)
// Runs offline after `npm ci`: everything comes from node_modules.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const govukDist = join(dirname(require.resolve("govuk-frontend/package.json")), "dist", "govuk");
const source = join(root, "src", "cylch", "core", "static_src", "cylch.scss");
const staticDir = join(root, "src", "cylch", "core", "static");
const govukOut = join(staticDir, "govuk");

const result = sass.compile(source, {
  style: "compressed",
  importers: [new sass.NodePackageImporter(root)],
  quietDeps: true,
});
mkdirSync(staticDir, { recursive: true });
writeFileSync(join(staticDir, "cylch.css"), result.css + "\n");

rmSync(govukOut, { recursive: true, force: true });
mkdirSync(govukOut, { recursive: true });
cpSync(join(govukDist, "assets"), join(govukOut, "assets"), { recursive: true });
// The source map goes too: Django's manifest storage follows the sourceMappingURL comment.
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  cpSync(join(govukDist, name), join(govukOut, name));
}
console.log(`Built ${join("src", "cylch", "core", "static")}: cylch.css (${result.css.length} bytes) and govuk/`);
