/**
 * `pnpm test:odoo`: the suites that run on every Odoo target, against real Odoo 17.0, 18.0 and 19.0 built
 * from `../shared/odoo/` (the global set-up starts them; each suite copies the demo database).
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "packages/odoo-client/test/{sign-in,rights}.test.ts",
      "packages/mcp-server/test/{tools,guide-examples,mail,user-mode,write-guards,resources-prompts,ui-extension}.test.ts",
      "test/guide.e2e.test.ts",
      "test/views-{records,totals,record,confirm,report}.e2e.test.ts",
      "test/*.odoo.test.ts",
    ],
    globalSetup: ["packages/views/src/global-setup.ts", "packages/testkit/src/real-odoo/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: process.env.CI ? { json: "test-results/vitest-odoo.json" } : undefined,
  },
});
