/**
 * Builds each view (catalog.ts) into one self-contained HTML file: esbuild bundles `web/<name>/main.ts`
 * with everything it imports (its CSS included) for the browser, and the result is inlined into a page
 * with no outside reference at all, since a host's sandbox allows no origin (the resources declare none).
 * Each file's gzipped size is measured and the build fails above the budget: hosts fetch a view before
 * showing it. `pnpm --filter @odoo-mcp/views build` runs it and prints the sizes.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { VIEWS, type ViewInfo } from "./catalog.js";

/** The largest a built view may be, gzipped (issue 27: ≤ 60 KB each). */
export const GZIP_BUDGET_BYTES = 60 * 1024;

export const WEB_DIR = fileURLToPath(new URL("../web/", import.meta.url));

export interface BuiltView {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
}

export class ViewBuildError extends Error {
  override name = "ViewBuildError";
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** The page around a view's script and style; `lang` is set again from the host's locale at start. */
const page = (view: ViewInfo, css: string, js: string) =>
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(view.title)}</title>
<style>${css}</style>
</head>
<body>
<main id="view"></main>
<script type="module">${js}</script>
</body>
</html>
`;

/** Bundles one view to its HTML text. */
async function bundleView(view: ViewInfo): Promise<string> {
  // Imported here, not at the top: the MCP server's production bundle includes the loader, never esbuild.
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(WEB_DIR, view.name, "main.ts")],
    bundle: true,
    write: false,
    outdir: "out",
    format: "esm",
    platform: "browser",
    target: ["es2022", "chrome111", "firefox113", "safari16.4"],
    minify: true,
    legalComments: "none",
    charset: "utf8",
    logLevel: "silent",
  });
  const text = (extension: string) =>
    result.outputFiles.find((file) => file.path.endsWith(extension))?.text.trim() ?? "";
  const js = text(".js");
  const css = text(".css");
  // esbuild escapes `</script` inside strings for inline scripts; anything left would end the script early.
  if (/<\/script/i.test(js) || /<\/style/i.test(css))
    throw new ViewBuildError(`${view.name}: the bundle contains a closing </script> or </style> tag`);
  return page(view, css, js);
}

/**
 * Builds every view into `outDir`, each file written whole (a temporary file renamed into place, so a
 * server reading the folder meanwhile never sees half a view), and returns their sizes. Throws a
 * ViewBuildError naming every view over `budget` bytes gzipped.
 */
export async function buildViews(outDir: string, budget = GZIP_BUDGET_BYTES): Promise<BuiltView[]> {
  mkdirSync(outDir, { recursive: true });
  const built = await Promise.all(
    VIEWS.map(async (view) => {
      const html = await bundleView(view);
      const file = join(outDir, `${view.name}.html`);
      const bytes = Buffer.byteLength(html);
      const gzipBytes = gzipSync(html, { level: 9 }).length;
      return { name: view.name, file, html, bytes, gzipBytes };
    }),
  );
  const over = built.filter((view) => view.gzipBytes > budget);
  if (over.length > 0)
    throw new ViewBuildError(
      `views over the ${budget / 1024} KB gzipped budget: ${over.map((view) => `${view.name} ${kb(view.gzipBytes)}`).join(", ")}`,
    );
  for (const { file, html } of built) {
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, html);
    renameSync(partial, file);
  }
  return built.map(({ html: _html, ...sizes }) => sizes);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** One line per view: its file, its size and its gzipped size against the budget. */
export const sizeReport = (built: readonly BuiltView[]) =>
  built
    .map((view) => `${view.file}: ${kb(view.bytes)}, ${kb(view.gzipBytes)} gzipped (budget ${kb(GZIP_BUDGET_BYTES)})`)
    .join("\n");

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? fileURLToPath(new URL("../dist/", import.meta.url));
  try {
    process.stdout.write(`${sizeReport(await buildViews(outDir))}\n`);
  } catch (error) {
    process.stderr.write(`views: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
