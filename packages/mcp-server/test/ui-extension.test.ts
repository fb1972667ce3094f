/**
 * MCP Apps (`io.modelcontextprotocol/ui`, 2026-01-26) on the server: the views as `ui://odoo/…`
 * resources, the tools that name them, and a client without the extension seeing what it always saw —
 * through the SDK's v1 client (initialize era) and v2 client (2026-07-28, with and without the extension),
 * and on the wire for the cache hints.
 */
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SCOPES } from "@odoo-mcp/shared";
import { odooTargets, type Stack, startStack } from "@odoo-mcp/testkit/stack";
import { RECORDS_META_KEY, type RecordsMeta } from "@odoo-mcp/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { listedFor } from "../src/mcp/server.js";
import { ALL_TOOLS, describeTool } from "../src/tools/index.js";
import { defineTool, READ_ONLY } from "../src/tools/types.js";

const UI = { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } };
const RECORDS_URI = "ui://odoo/records";

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.token();
});
afterAll(() => stack.close());

const headers = () => ({ Authorization: `Bearer ${token}` });

async function legacyClient() {
  const client = new Client({ name: "plain-client", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { requestInit: { headers: headers() } }),
  );
  return client;
}

async function modernClient(extensions?: typeof UI) {
  const client = new ClientV2(
    { name: "modern-client", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } }, capabilities: extensions ? { extensions } : {} },
  );
  await client.connect(new TransportV2(new URL(stack.mcpUrl), { requestInit: { headers: headers() } }));
  return client;
}

describe("a host that renders views", () => {
  it("lists the views, reads one as a self-contained mcp-app page with a CSP that allows no origin", async () => {
    const client = await modernClient(UI);
    try {
      const { resources } = await client.listResources();
      const listed = resources.find((resource) => resource.uri === RECORDS_URI);
      expect(listed).toMatchObject({ mimeType: "text/html;profile=mcp-app", title: "Odoo records" });
      const read = await client.readResource({ uri: RECORDS_URI });
      const [content] = read.contents as { uri: string; mimeType: string; text: string; _meta: unknown }[];
      expect(content).toMatchObject({ uri: RECORDS_URI, mimeType: "text/html;profile=mcp-app" });
      expect(content?._meta).toEqual({
        ui: {
          csp: { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] },
          prefersBorder: true,
        },
      });
      const html = content?.text as string;
      expect(html).toMatch(/^<!doctype html>/i);
      // Inline script and style only: nothing loaded from anywhere.
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(\s*["']?(https?:)?\/\//i);
    } finally {
      await client.close();
    }
  });

  it("finds the view from the search tool's _meta, under both keys hosts read", async () => {
    const client = await modernClient(UI);
    try {
      const { tools } = await client.listTools();
      const search = tools.find((tool) => tool.name === "odoo_search_read_records");
      expect(search?._meta).toMatchObject({
        ui: { resourceUri: RECORDS_URI },
        "openai/outputTemplate": RECORDS_URI,
        "openai/widgetAccessible": true,
      });
      // Tools without a view carry no view metadata.
      expect(tools.find((tool) => tool.name === "odoo_count_records")?._meta).not.toHaveProperty("ui");
    } finally {
      await client.close();
    }
  });

  it("gives the view the field labels and the record link in the result's _meta, outside what the model reads", async () => {
    const client = await legacyClient();
    try {
      const result = await client.callTool({
        name: "odoo_search_read_records",
        arguments: { model: "sale.order", fields: ["name", "partner_id", "amount_total", "state"], limit: 2 },
      });
      const meta = (result._meta as Record<string, RecordsMeta>)[RECORDS_META_KEY] as RecordsMeta;
      expect(meta.recordUrl).toMatch(/\/odoo\/sale\.order\/\{id\}$|\/web#id=\{id\}&model=sale\.order&view_type=form$/);
      expect(meta.fields.partner_id).toMatchObject({ type: "many2one", label: expect.any(String) });
      expect(meta.fields.amount_total).toMatchObject({ type: "monetary", currencyField: "currency_id" });
      expect(meta.fields.state?.options?.length).toBeGreaterThan(1);
      // The structured content and its text are what they were: no view data in them.
      expect(Object.keys(result.structuredContent as object).sort()).toEqual(
        ["count", "has_more", "limit", "model", "offset", "records"].sort(),
      );
      expect((result.content as { text: string }[])[0]?.text).not.toContain(RECORDS_META_KEY);
    } finally {
      await client.close();
    }
  });

  it("may cache a view for five minutes, shared by everyone (2026-07-28 cache hints)", async () => {
    const response = await fetch(stack.mcpUrl, {
      method: "POST",
      headers: {
        ...headers(),
        "content-type": "application/json",
        accept: "application/json",
        "mcp-protocol-version": "2026-07-28",
        "mcp-method": "resources/read",
        "mcp-name": RECORDS_URI,
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "resources/read",
        params: {
          uri: RECORDS_URI,
          _meta: {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": { extensions: UI },
          },
        },
      }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: unknown }).result).toMatchObject({
      ttlMs: 300_000,
      cacheScope: "public",
    });
  });
});

describe.each(odooTargets(["17.0 over XML-RPC", "19.0 over JSON-2"]))("on $name", (target) => {
  let odooStack: Stack;
  beforeAll(async () => {
    odooStack = await startStack({ target });
  });
  afterAll(() => odooStack?.close());

  it("links each record to Odoo in this release's own URL form", async () => {
    const client = await odooStack.connect(await odooStack.token());
    try {
      const result = await client.callTool({
        name: "odoo_search_read_records",
        arguments: { model: "res.partner", fields: ["name"], limit: 1 },
      });
      const { recordUrl } = (result._meta as Record<string, RecordsMeta>)[RECORDS_META_KEY] as RecordsMeta;
      // 17.0's web client knows only /web#…; the /odoo/<model>/<id> router came with saas~17.2.
      expect(recordUrl).toBe(
        target.version === "17.0"
          ? `${odooStack.odoo.url}/web#id={id}&model=res.partner&view_type=form`
          : `${odooStack.odoo.url}/odoo/res.partner/{id}`,
      );
    } finally {
      await client.close();
    }
  });
});

describe("a client without the extension", () => {
  it.each([
    ["initialize era (SDK v1)", legacyClient, undefined],
    ["2026-07-28 without the extension (SDK v2)", () => modernClient(), false],
  ] as const)("%s: the same tools and resources as before, the views still readable by URI", async (_, connect, ui) => {
    const client = await connect();
    try {
      const { tools } = await client.listTools();
      // App-only tools are left out once the client said it renders no views (listedFor).
      const listed = ALL_TOOLS.filter((tool) => listedFor(tool, ui));
      expect(tools.map((tool) => tool.name)).toEqual(listed.map((tool) => tool.name));
      const { resources } = await client.listResources();
      expect(resources.filter((resource) => resource.uri.startsWith("ui://"))).toEqual([]);
      const read = await client.readResource({ uri: RECORDS_URI });
      expect((read.contents[0] as { mimeType: string }).mimeType).toBe("text/html;profile=mcp-app");
      await expect(client.readResource({ uri: "ui://odoo/nothing" })).rejects.toThrow(/ui:\/\/odoo\/nothing/);
    } finally {
      await client.close();
    }
  });
});

describe("a tool only views call", () => {
  const pageTool = defineTool({
    name: "odoo_view_page",
    title: "A view's next page",
    description: "Only the view calls it.",
    scope: SCOPES.read,
    annotations: READ_ONLY,
    view: "records",
    visibility: ["app"],
    input: z.object({}),
    run: async () => ({}),
  });

  it("is marked for hosts (MCP Apps and ChatGPT) and left out for a client known not to render views", () => {
    expect(describeTool(pageTool)._meta).toMatchObject({
      ui: { resourceUri: RECORDS_URI, visibility: ["app"] },
      "openai/visibility": "private",
      "openai/widgetAccessible": true,
    });
    expect(listedFor(pageTool, true)).toBe(true);
    // An initialize-era client's capabilities are unknown to a stateless server: listed, marked.
    expect(listedFor(pageTool, undefined)).toBe(true);
    expect(listedFor(pageTool, false)).toBe(false);
    const search = ALL_TOOLS.find((tool) => tool.name === "odoo_search_read_records");
    expect(search && listedFor(search, false)).toBe(true);
  });
});
