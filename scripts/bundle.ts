/**
 * Bundles a server's TypeScript (with the workspace packages it uses) into one ES module for plain
 * `node`: production and the benchmarks then run without a TypeScript loader (faster start, ~40 MB less
 * memory). Third-party dependencies stay external and load from node_modules as usual. The MCP server's
 * views (packages/views) are built into its dist folder beside main.mjs, where the bundled loader finds them.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildViews, sizeReport } from "@odoo-mcp/views/build";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;

const dependenciesOf = (packageDir: string) =>
  Object.keys(
    (JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { dependencies?: Record<string, string> })
      .dependencies ?? {},
  );

/**
 * The package's own third-party dependencies stay external (node resolves them from its directory). A
 * workspace package it uses may need others: those must be the package's own dependencies too, or the
 * bundle would fail at run time under pnpm's strict layout — so the build stops and says which.
 */
function externals(packageDir: string): string[] {
  const own = dependenciesOf(packageDir).filter((name) => !name.startsWith("@odoo-mcp/"));
  const missing = dependenciesOf(packageDir)
    .filter((name) => name.startsWith("@odoo-mcp/"))
    .flatMap((name) => dependenciesOf(join(root, "packages", name.replace("@odoo-mcp/", ""))))
    .filter((name) => !name.startsWith("@odoo-mcp/") && !own.includes(name));
  if (missing.length > 0) throw new Error(`${packageDir}: add ${[...new Set(missing)].join(", ")} to its dependencies`);
  return own;
}

export async function bundle(entry: string, outfile: string, packageDir: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    // esbuild itself: the views' loader imports it only to build from sources, which a bundle never has.
    external: [...externals(packageDir), "esbuild"],
    logLevel: "warning",
  });
}

/**
 * The MCP server's bundle at `outfile`, its views built into the same folder: the bundled loader reads
 * them from `../dist/` beside itself, so that folder must be called `dist`.
 */
export async function bundleMcpServer(outfile: string): Promise<string> {
  const dir = join(root, "packages", "mcp-server");
  await bundle(join(dir, "src/main.ts"), outfile, dir);
  return sizeReport(await buildViews(dirname(outfile)));
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  for (const name of ["auth-server", "odoo-sim"]) {
    const dir = join(root, "packages", name);
    await bundle(join(dir, "src/main.ts"), join(dir, "dist/main.mjs"), dir);
    process.stdout.write(`bundled packages/${name}/dist/main.mjs\n`);
  }
  const views = await bundleMcpServer(join(root, "packages/mcp-server/dist/main.mjs"));
  process.stdout.write(`bundled packages/mcp-server/dist/main.mjs\n${views}\n`);
}
