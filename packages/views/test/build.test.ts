/** The views' build: one self-contained HTML file per view, its gzipped size measured against the budget. */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildViews, GZIP_BUDGET_BYTES, sizeReport, ViewBuildError } from "../src/build.js";
import { VIEWS } from "../src/catalog.js";
import { loadViews, VIEWS_DIR } from "../src/load.js";

describe("building the views", () => {
  it("writes each view as one HTML file that loads nothing from anywhere, within 60 KB gzipped", async () => {
    const dir = mkdtempSync(join(tmpdir(), "views-"));
    const built = await buildViews(dir);
    expect(built.map((view) => view.name)).toEqual(VIEWS.map((view) => view.name));
    // Only the finished files: no temporary file is left behind.
    expect(readdirSync(dir).sort()).toEqual(VIEWS.map((view) => `${view.name}.html`).sort());
    for (const view of built) {
      const html = readFileSync(view.file, "utf8");
      expect(view.gzipBytes).toBe(gzipSync(html, { level: 9 }).length);
      expect(view.gzipBytes).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain('<script type="module">');
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(\s*["']?(https?:)?\/\//i);
    }
    expect(sizeReport(built)).toMatch(/records\.html: [\d.]+ KB, [\d.]+ KB gzipped \(budget 60\.0 KB\)/);
  });

  it("fails, naming the view and its size, when a view is over the budget", async () => {
    const dir = mkdtempSync(join(tmpdir(), "views-"));
    await expect(buildViews(dir, 1024)).rejects.toThrow(ViewBuildError);
    await expect(buildViews(dir, 1024)).rejects.toThrow(/over the 1 KB gzipped budget: records [\d.]+ KB/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("serves what the build wrote, built first when the sources changed", async () => {
    const views = await loadViews();
    expect(views.get("records")).toBe(readFileSync(join(VIEWS_DIR, "records.html"), "utf8"));
  });
});
