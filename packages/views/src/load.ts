/**
 * The built views, as the MCP server serves them. From a checkout (`pnpm start`, the tests, a clean CI
 * clone) the views are built here on first use whenever `dist/` is missing or older than their sources,
 * so no one runs a build step by hand; the production bundle carries them built beside `main.mjs`
 * (scripts/bundle.ts), where there are no sources and they are only read.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VIEWS, type ViewName } from "./catalog.js";

/** Beside this module's folder: packages/views/dist from source, the bundle's own dist folder once bundled. */
export const VIEWS_DIR = fileURLToPath(new URL("../dist/", import.meta.url));
/** What a view is built from: its web/ sources and this package's build code. */
const SOURCE_DIRS = [fileURLToPath(new URL("../web/", import.meta.url)), fileURLToPath(new URL("./", import.meta.url))];

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Whether the sources are here and some view is missing or older than they are. */
function stale(): boolean {
  if (!SOURCE_DIRS.every(existsSync)) return false;
  const built = VIEWS.map((view) => join(VIEWS_DIR, `${view.name}.html`));
  if (!built.every(existsSync)) return true;
  const oldest = Math.min(...built.map((file) => statSync(file).mtimeMs));
  return SOURCE_DIRS.some((dir) => newestChange(dir) > oldest);
}

async function load(): Promise<ReadonlyMap<ViewName, string>> {
  if (stale()) {
    const { buildViews } = await import("./build.js");
    await buildViews(VIEWS_DIR);
  }
  return new Map(
    VIEWS.map((view) => {
      const file = join(VIEWS_DIR, `${view.name}.html`);
      if (!existsSync(file))
        throw new Error(
          `the ${view.name} view is not built (${file}); build with \`pnpm build\` or run from a checkout`,
        );
      return [view.name, readFileSync(file, "utf8")];
    }),
  );
}

let loaded: Promise<ReadonlyMap<ViewName, string>> | undefined;

/** Every view's HTML, built first when needed; read once per process. */
export function loadViews(): Promise<ReadonlyMap<ViewName, string>> {
  loaded ??= load();
  return loaded;
}
