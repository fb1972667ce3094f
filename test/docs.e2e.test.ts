import { readFileSync } from "node:fs";
import { AUTH_ENV_VARIABLES } from "@odoo-mcp/auth-server";
import { MCP_ENV_VARIABLES } from "@odoo-mcp/mcp-server";
import { SIM_ENV_VARIABLES } from "@odoo-mcp/odoo-sim";
import { describe, expect, it } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const LAUNCHER_VARIABLES = ["LAUNCH_HOST", "ODOO_SIM_PORT", "CHROMIUM_PATH"];

describe("the README", () => {
  it("starts with the two commands a newcomer needs", () => {
    const firstBlock = /```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock).toContain("pnpm install && pnpm start");
    expect(firstBlock).toContain("pnpm test");
  });

  it("lists every environment variable the programs read in its configuration table", () => {
    const table = readme.slice(readme.indexOf("## Configuration"));
    const missing = [
      ...new Set([...AUTH_ENV_VARIABLES, ...MCP_ENV_VARIABLES, ...SIM_ENV_VARIABLES, ...LAUNCHER_VARIABLES]),
    ].filter((name) => !table.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
