/**
 * MCP 2026-07-28 beside 2025-11-25 and 2025-06-18 on the one endpoint, negotiated per request: the SDK's
 * v2 client pinned to each revision and in auto mode, the v1 client, and the spec's negative cases on the
 * wire (envelope, revision, headers against the body, no batches, 404 for a method the revision lacks).
 */
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { type Stack, startStack } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listedFor } from "../src/mcp/server.js";
import { ALL_TOOLS } from "../src/tools/index.js";

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.token();
});
afterAll(() => stack.close());

type ClientOptions = ConstructorParameters<typeof Client>[1];

async function connectV2(options: ClientOptions, bearer = token) {
  const client = new Client({ name: "revisions-test", version: "1.0.0" }, options);
  await client.connect(
    new StreamableHTTPClientTransport(new URL(stack.mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
    }),
  );
  return client;
}

describe("each revision through the SDK's v2 client", () => {
  it.each([
    ["2026-07-28 (pinned)", { versionNegotiation: { mode: { pin: "2026-07-28" } } }, "2026-07-28"],
    ["auto (server/discover first)", { versionNegotiation: { mode: "auto" } }, "2026-07-28"],
    ["2025-11-25", { supportedProtocolVersions: ["2025-11-25"] }, "2025-11-25"],
    ["2025-06-18", { supportedProtocolVersions: ["2025-06-18"] }, "2025-06-18"],
  ] as const)("%s: lists the tools in one fixed order and calls one", async (_, options, expected) => {
    const client = await connectV2(options as ClientOptions);
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(expected);
      const { tools } = await client.listTools();
      // A 2026-07-28 client that did not declare views is not shown the tools only views call.
      const ui = expected === "2026-07-28" ? false : undefined;
      const listed = ALL_TOOLS.filter((tool) => listedFor(tool, ui));
      expect(tools.map((tool) => tool.name)).toEqual(listed.map((tool) => tool.name));
      const result = await client.callTool({
        name: "odoo_count_records",
        arguments: { model: "res.partner", domain: [["customer_rank", ">", 0]] },
      });
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { count: number }).count).toBeGreaterThan(0);
      if (expected === "2026-07-28") {
        const discovered = await client.discover();
        expect(discovered.supportedVersions).toEqual(["2026-07-28"]);
        expect(discovered.capabilities.tools).toBeDefined();
      }
    } finally {
      await client.close();
    }
  });

  it.each([
    ["2026-07-28", { versionNegotiation: { mode: { pin: "2026-07-28" } } }, -32602],
    ["2025-11-25", { supportedProtocolVersions: ["2025-11-25"] }, -32002],
  ] as const)(
    "%s: reads records as resources, renders prompts and completes their arguments",
    async (_, options, notFound) => {
      const client = await connectV2(options as ClientOptions);
      try {
        const { resourceTemplates } = await client.listResourceTemplates();
        expect(resourceTemplates.map((template) => template.uriTemplate)).toContain("odoo://{model}/{id}");
        expect((await client.listResources()).resources.map((resource) => resource.uri)).toContain(
          "odoo://res.partner",
        );
        const read = await client.readResource({ uri: "odoo://res.partner/3" });
        const [content] = read.contents as { mimeType?: string; text?: string }[];
        expect(content?.mimeType).toBe("application/json");
        expect(JSON.parse(content?.text as string)).toMatchObject({ id: 3, name: expect.any(String) });
        await expect(client.readResource({ uri: "odoo://res.partner/999999" })).rejects.toThrow(
          `MCP error ${notFound}`,
        );
        await expect(client.readResource({ uri: "odoo://res.users.apikeys/1" })).rejects.toThrow(
          `MCP error ${notFound}`,
        );

        const { prompts } = await client.listPrompts();
        expect(prompts.map((prompt) => prompt.name)).toContain("count_customers_by_country");
        const prompt = await client.getPrompt({
          name: "count_customers_by_country",
          arguments: { country: "ES", language: "es" },
        });
        expect(JSON.stringify(prompt.messages)).toContain("odoo_count_records");
        await expect(client.getPrompt({ name: "nope", arguments: {} })).rejects.toMatchObject({ code: -32602 });

        const models = await client.complete({
          ref: { type: "ref/resource", uri: "odoo://{model}/{id}" },
          argument: { name: "model", value: "res.par" },
        });
        expect(models.completion.values).toContain("res.partner");
        const languages = await client.complete({
          ref: { type: "ref/prompt", name: "count_customers_by_country" },
          argument: { name: "language", value: "" },
        });
        expect(languages.completion.values).toEqual(["en", "es"]);
      } finally {
        await client.close();
      }
    },
  );

  it("the v1 client still negotiates its own latest revision", async () => {
    const client = await stack.connect(token);
    expect(client.getServerVersion()?.name).toBe("odoo-mcp");
    expect((await client.listTools()).tools).toHaveLength(ALL_TOOLS.length);
    expect((await client.listPrompts()).prompts.length).toBeGreaterThan(4);
    const read = await client.readResource({ uri: "odoo://product.product" });
    expect((read.contents[0] as { text: string }).text).toContain("list_price");
    await client.close();
  });
});

/** The parts of a JSON-RPC answer these tests read. */
interface RpcAnswer {
  id: unknown;
  error: { code: number };
  result: { resultType?: string; ttlMs?: number; tools?: unknown[]; _meta: Record<string, unknown> };
}

describe("2026-07-28 on the wire", () => {
  const meta = (version = "2026-07-28") => ({
    "io.modelcontextprotocol/protocolVersion": version,
    "io.modelcontextprotocol/clientCapabilities": {},
  });
  const headers = (extra: Record<string, string> = {}) => ({
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
    authorization: `Bearer ${token}`,
    ...extra,
  });
  const post = async (extra: Record<string, string>, body: unknown) => {
    const response = await fetch(stack.mcpUrl, { method: "POST", headers: headers(extra), body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as RpcAnswer };
  };
  const modern = { "mcp-protocol-version": "2026-07-28" };
  const count = (id: number, extra: Record<string, unknown> = {}) => ({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "odoo_count_records", arguments: { model: "res.partner" }, _meta: meta(), ...extra },
  });

  it("answers a complete request with resultType, cache hints on lists and serverInfo in _meta", async () => {
    const list = await post(
      { ...modern, "mcp-method": "tools/list" },
      { jsonrpc: "2.0", id: 1, method: "tools/list", params: { _meta: meta() } },
    );
    expect(list.status).toBe(200);
    expect(list.body.result).toMatchObject({
      resultType: "complete",
      ttlMs: expect.any(Number),
      cacheScope: "private",
    });
    expect(list.body.result._meta["io.modelcontextprotocol/serverInfo"]).toMatchObject({ name: "odoo-mcp" });
    const call = await post({ ...modern, "mcp-method": "tools/call", "mcp-name": "odoo_count_records" }, count(2));
    expect(call.status).toBe(200);
    expect(call.body.result).toMatchObject({
      resultType: "complete",
      structuredContent: { count: expect.any(Number) },
    });
    expect(call.body.result.ttlMs).toBeUndefined();
    // A name that is not plain ASCII travels base64-encoded in its header.
    const encoded = `=?base64?${Buffer.from("odoo_count_records").toString("base64")}?=`;
    expect((await post({ ...modern, "mcp-method": "tools/call", "mcp-name": encoded }, count(3))).status).toBe(200);
  });

  it.each([
    ["no Mcp-Name", { ...modern, "mcp-method": "tools/call" }, count(4), 400, -32020],
    [
      "Mcp-Name naming another tool",
      { ...modern, "mcp-method": "tools/call", "mcp-name": "odoo_delete_record" },
      count(5),
      400,
      -32020,
    ],
    [
      "Mcp-Method naming another method",
      { ...modern, "mcp-method": "tools/list", "mcp-name": "odoo_count_records" },
      count(6),
      400,
      -32020,
    ],
    [
      "no MCP-Protocol-Version",
      { "mcp-method": "tools/call", "mcp-name": "odoo_count_records" },
      count(7),
      400,
      -32020,
    ],
    [
      "a header revision other than the envelope's",
      { "mcp-protocol-version": "2025-11-25", "mcp-method": "tools/call", "mcp-name": "odoo_count_records" },
      count(8),
      400,
      -32020,
    ],
    [
      "an envelope naming an unknown revision",
      { "mcp-protocol-version": "2099-01-01", "mcp-method": "tools/list" },
      { jsonrpc: "2.0", id: 9, method: "tools/list", params: { _meta: meta("2099-01-01") } },
      400,
      -32022,
    ],
    [
      "a 2026-07-28 header without the envelope",
      { ...modern, "mcp-method": "tools/list" },
      { jsonrpc: "2.0", id: 10, method: "tools/list" },
      400,
      -32602,
    ],
    [
      "an envelope without client capabilities",
      { ...modern, "mcp-method": "tools/list" },
      {
        jsonrpc: "2.0",
        id: 11,
        method: "tools/list",
        params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } },
      },
      400,
      -32602,
    ],
    [
      "ping, which 2026-07-28 removed",
      { ...modern, "mcp-method": "ping" },
      { jsonrpc: "2.0", id: 12, method: "ping", params: { _meta: meta() } },
      404,
      -32601,
    ],
    [
      "an unknown method",
      { ...modern, "mcp-method": "foo/bar" },
      { jsonrpc: "2.0", id: 13, method: "foo/bar", params: { _meta: meta() } },
      404,
      -32601,
    ],
    [
      "initialize under a 2026-07-28 header",
      { ...modern },
      {
        jsonrpc: "2.0",
        id: 14,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "1" } },
      },
      400,
      -32020,
    ],
  ] as const)("refuses %s", async (_, extra, body, status, code) => {
    const answer = await post(extra, body);
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(answer.body.id).toBe(body.id);
  });

  it("refuses a batch carrying a 2026-07-28 envelope, and keeps a tool's own errors in-band", async () => {
    const batch = await post({ ...modern, "mcp-method": "tools/list" }, [
      { jsonrpc: "2.0", id: 20, method: "tools/list", params: { _meta: meta() } },
    ]);
    expect(batch.status).toBe(400);
    expect(batch.body.error.code).toBe(-32600);
    const unknownTool = await post(
      { ...modern, "mcp-method": "tools/call", "mcp-name": "nope" },
      { jsonrpc: "2.0", id: 21, method: "tools/call", params: { name: "nope", _meta: meta() } },
    );
    expect(unknownTool.status).toBe(200);
    expect(unknownTool.body.error.code).toBe(-32602);
  });

  it("keeps server/discover out of the older revisions, and answers their requests as before", async () => {
    const legacy = await post(
      { "mcp-protocol-version": "2025-11-25" },
      { jsonrpc: "2.0", id: 30, method: "server/discover" },
    );
    expect(legacy.status).toBe(200);
    expect(legacy.body.error.code).toBe(-32601);
    const list = await post({ "mcp-protocol-version": "2025-06-18" }, { jsonrpc: "2.0", id: 31, method: "tools/list" });
    expect(list.body.result.resultType).toBeUndefined();
    expect(list.body.result.tools).toHaveLength(ALL_TOOLS.length);
  });

  it("challenges a 2026-07-28 write call of a read-only token with 403, after checking its headers", async () => {
    const readOnly = await stack.token("admin", "admin", "odoo:read");
    const create = {
      jsonrpc: "2.0",
      id: 40,
      method: "tools/call",
      params: { name: "odoo_create_record", arguments: { model: "res.partner", values: { name: "x" } }, _meta: meta() },
    };
    const send = (extra: Record<string, string>) =>
      fetch(stack.mcpUrl, {
        method: "POST",
        headers: { ...headers(extra), authorization: `Bearer ${readOnly}` },
        body: JSON.stringify(create),
      });
    expect((await send({ ...modern, "mcp-method": "tools/call" })).status).toBe(400);
    const challenged = await send({ ...modern, "mcp-method": "tools/call", "mcp-name": "odoo_create_record" });
    expect(challenged.status).toBe(403);
    expect(challenged.headers.get("www-authenticate")).toMatch(/error="insufficient_scope"/);
    expect(challenged.headers.get("www-authenticate")).toMatch(/scope="odoo:read odoo:write"/);
  });
});

describe("Origin (DNS rebinding)", () => {
  let guarded: Stack;
  let guardedToken: string;
  beforeAll(async () => {
    guarded = await startStack({ mcpEnv: { MCP_ALLOWED_ORIGINS: "https://studio.example.com" } });
    guardedToken = await guarded.token();
  });
  afterAll(() => guarded.close());

  const list = (origin?: string) =>
    fetch(guarded.mcpUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${guardedToken}`,
        ...(origin ? { origin } : {}),
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });

  it("refuses a page from another site with 403 and no CORS grant, even with a valid token", async () => {
    for (const origin of ["https://evil.example", "null", "http://127.0.0.1.evil.example", "file://"]) {
      const response = await list(origin);
      expect(response.status).toBe(403);
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/^Forbidden/);
    }
    const preflight = await fetch(guarded.mcpUrl, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves the server's own origin, loopback pages, configured origins and clients that send none", async () => {
    const own = new URL(guarded.mcpUrl).origin;
    for (const origin of [
      own,
      "http://localhost:6274",
      "http://127.0.0.1:5173",
      "https://studio.example.com",
      undefined,
    ]) {
      const response = await list(origin);
      expect(response.status).toBe(200);
      if (origin) expect(response.headers.get("access-control-allow-origin")).toBe(origin);
    }
    // Discovery stays public: its metadata answers any page.
    const metadata = await fetch(new URL("/.well-known/oauth-protected-resource", guarded.mcpUrl), {
      headers: { origin: "https://evil.example" },
    });
    expect(metadata.status).toBe(200);
  });
});
