/**
 * Clients nobody here wrote, as docs/clients.md sets them up: the MCP Inspector's CLI (2.12, both protocol
 * eras, its strict schema-portability check) and mcp-remote (0.15, the stdio bridge Claude Desktop runs),
 * each against the whole system with a token from the real code flow.
 *
 * The Inspector needs Node 22.19 or later: this process's node when it is one, else the Node 22 that
 * `.ci/run` installs (ODOO_MCP_NODE_DIR or $TMPDIR/odoo-mcp-node22). Without either the Inspector cases
 * are skipped, saying so.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { type Stack, startStack } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const INSPECTOR = join(packageDir("@modelcontextprotocol/inspector"), "clients", "launcher", "build", "index.js");
const MCP_REMOTE = join(packageDir("mcp-remote"), "dist", "proxy.js");

const atLeast = (version: string, [major, minor]: [number, number]) => {
  const [found, foundMinor] = version.replace(/^v/, "").split(".").map(Number) as [number, number];
  return found > major || (found === major && foundMinor >= minor);
};

/** A node binary the Inspector runs on (it declares engines.node >= 22.19). */
function inspectorNode(): string | undefined {
  if (atLeast(process.version, [22, 19])) return process.execPath;
  const dir = join(
    process.env.ODOO_MCP_NODE_DIR ?? join(tmpdir(), "odoo-mcp-node22"),
    "node_modules",
    "node",
    "node_modules",
  );
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir).filter((name) => name.startsWith("node-"))) {
    const binary = join(dir, entry, "bin", "node");
    if (existsSync(binary)) return binary;
  }
  return undefined;
}

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.token();
});
afterAll(() => stack.close());

const node22 = inspectorNode();
if (!node22) console.warn("clients.e2e: no Node >= 22.19 found; the MCP Inspector CLI cases are skipped");

describe.runIf(node22)("MCP Inspector CLI 2.12", () => {
  const inspector = async (era: "modern" | "legacy" | "auto", ...args: string[]) => {
    const { stdout } = await run(
      node22 as string,
      [
        INSPECTOR,
        "--cli",
        "--server-url",
        stack.mcpUrl,
        "--transport",
        "http",
        "--header",
        `Authorization: Bearer ${token}`,
        "--protocol-era",
        era,
        "--stored-auth-only",
        "--format",
        "json",
        ...args,
      ],
      { timeout: 60_000 },
    );
    return JSON.parse(stdout) as { result: Record<string, unknown>; schemaFindings?: unknown[] };
  };

  it.each(["modern", "legacy"] as const)(
    "lists the tools with no schema finding under --strict (%s era)",
    async (era) => {
      const answer = await inspector(era, "--method", "tools/list", "--strict");
      expect((answer.result.tools as { name: string }[]).map((tool) => tool.name)).toContain("odoo_send_email");
      expect(answer.schemaFindings ?? []).toEqual([]);
    },
    90_000,
  );

  it("calls a tool, reads a record, renders a prompt and lists the templates", async () => {
    const counted = await inspector(
      "auto",
      "--method",
      "tools/call",
      "--tool-name",
      "odoo_count_records",
      "--tool-args-json",
      JSON.stringify({ model: "res.partner", domain: [["customer_rank", ">", 0]] }),
    );
    expect((counted.result.structuredContent as { count: number }).count).toBeGreaterThan(0);
    const read = await inspector("modern", "--method", "resources/read", "--uri", "odoo://res.partner/3");
    expect(JSON.parse((read.result.contents as { text: string }[])[0]?.text as string)).toMatchObject({ id: 3 });
    const prompt = await inspector(
      "legacy",
      "--method",
      "prompts/get",
      "--prompt-name",
      "count_customers_by_country",
      "--prompt-args",
      "country=ES",
      "language=es",
    );
    expect(JSON.stringify(prompt.result.messages)).toContain("odoo_count_records");
    const templates = await inspector("modern", "--method", "resources/templates/list");
    expect(templates.result.resourceTemplates).toEqual(
      expect.arrayContaining([expect.objectContaining({ uriTemplate: "odoo://{model}/{id}" })]),
    );
  }, 120_000);
});

describe("mcp-remote 0.15 (Claude Desktop's bridge)", () => {
  it("carries tools/list and a tool call from stdio to the MCP endpoint", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MCP_REMOTE, stack.mcpUrl, "--header", `Authorization:Bearer ${token}`, "--allow-http"],
      stderr: "pipe",
    });
    const client = new Client({ name: "claude-desktop-stand-in", version: "1.0.0" });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toContain("odoo_count_records");
      const result = await client.callTool({ name: "odoo_count_records", arguments: { model: "res.partner" } });
      expect((result.structuredContent as { count: number }).count).toBeGreaterThan(0);
      expect((await client.listPrompts()).prompts.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  }, 60_000);
});
