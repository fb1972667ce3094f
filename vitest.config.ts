import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    // Tests of the real-Odoo kit itself run under `pnpm test:odoo` (vitest.odoo.config.ts).
    exclude: ["**/node_modules/**", "**/*.odoo.test.ts"],
    // The MCP Apps views, built from their sources when they changed, once for every test file.
    globalSetup: ["packages/views/src/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CI also writes a JSON report, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: process.env.CI ? { json: "test-results/vitest.json" } : undefined,
  },
});
