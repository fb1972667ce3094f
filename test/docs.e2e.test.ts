import { existsSync, readFileSync } from "node:fs";
import { AUTH_ENV_VARIABLES } from "@odoo-mcp/auth-server";
import { MCP_ENV_VARIABLES } from "@odoo-mcp/mcp-server";
import {
  createDemoDatabase,
  type OdooVersion,
  ORM_METHOD_NAMES,
  pythonSignature,
  SIM_ENV_VARIABLES,
  SIM_VERSIONS,
  signatureOf,
  simRelease,
} from "@odoo-mcp/odoo-sim";
import { describe, expect, it } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const configuration = readFileSync(new URL("../docs/configuration.md", import.meta.url), "utf8");
const LAUNCHER_VARIABLES = ["LAUNCH_HOST", "ODOO_SIM_PORT", "CHROMIUM_PATH"];

describe("the README", () => {
  it("starts with the two commands a newcomer needs", () => {
    const firstBlock = /```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock).toContain("pnpm install && pnpm start");
    expect(firstBlock).toContain("pnpm test");
  });

  it("stays short: set-up, flow and links first, the references in docs/", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(150);
    for (const doc of ["configuration", "servers", "metrics", "odoo-simulator", "odoo-versions"])
      expect(readme).toContain(`(docs/${doc}.md`);
  });

  it("links only to files that exist", () => {
    const targets = [...readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((match) => match[1] as string);
    const missing = targets.filter(
      (target) => !/^https?:/.test(target) && !existsSync(new URL(`../${target}`, import.meta.url)),
    );
    expect(missing).toEqual([]);
  });

  it("states Node.js 22 as the requirement, as package.json does", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe(">=22");
    expect(readme).toContain("Node.js 22 LTS or later");
  });
});

describe("docs/configuration.md", () => {
  it("lists every environment variable the programs read in its configuration table", () => {
    const missing = [
      ...new Set([...AUTH_ENV_VARIABLES, ...MCP_ENV_VARIABLES, ...SIM_ENV_VARIABLES, ...LAUNCHER_VARIABLES]),
    ].filter((name) => !configuration.includes(`| \`${name}\``) && !configuration.includes(`, \`${name}\` |`));
    expect(missing).toEqual([]);
  });
});

describe("docs/odoo-versions.md", () => {
  const doc = readFileSync(new URL("../docs/odoo-versions.md", import.meta.url), "utf8");
  const section = doc.slice(doc.indexOf("## Method signatures"), doc.indexOf("Results and shapes worth knowing"));
  const rows = section
    .split("\n")
    .filter((line) => /^\| `[\w.]+` \|/.test(line))
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );

  /** A cell as the table writes it, from the simulator's signature of that release. */
  const cellOf = (version: OdooVersion, qualified: string) => {
    const db = createDemoDatabase("demo", simRelease(version));
    const [modelName, method] = qualified.startsWith("res.users.")
      ? ["res.users", qualified.slice("res.users.".length)]
      : ["res.partner", qualified];
    const signature = signatureOf({ db }, db.requireModel(modelName), method);
    if (!signature) return "—";
    return [
      `\`${pythonSignature(method, signature)}\``,
      ...(signature.model ? [] : ["records"]),
      ...(signature.deprecated ? ["deprecated"] : []),
    ].join(" ");
  };

  it("states every signature the simulator binds calls against, per release", () => {
    expect(rows.length).toBeGreaterThanOrEqual(16);
    for (const [name, ...cells] of rows) {
      const method = (name as string).replaceAll("`", "");
      SIM_VERSIONS.forEach((version, index) => {
        expect({ method, version, cell: cells[index] }).toEqual({ method, version, cell: cellOf(version, method) });
      });
    }
  });

  it("covers every ORM method the simulator exposes", () => {
    const documented = new Set(rows.map(([name]) => (name as string).replaceAll("`", "")));
    for (const version of SIM_VERSIONS) {
      const db = createDemoDatabase("demo", simRelease(version));
      const model = db.requireModel("res.partner");
      for (const method of ORM_METHOD_NAMES) {
        if (signatureOf({ db }, model, method)) expect(documented).toContain(method);
      }
    }
  });
});
