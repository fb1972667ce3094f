/**
 * The hot path: one dispatcher for the process instead of an SDK Server per POST, and a lone tools/list
 * answered from bytes serialised once per scope set. What a client sees must not change: the cached
 * answer is byte for byte the freshly serialised one, every id comes back as sent, and initialize
 * negotiates versions as the SDK's Server does.
 */
import {
  ErrorCode,
  type JSONRPCRequest,
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";
import { type Stack, startStack } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTools, ToolsListCache } from "../src/mcp/server.js";
import { accountPage } from "../src/mcp/step-up.js";
import { ALL_TOOLS } from "../src/tools/index.js";

const SCOPE_SETS = { "read-only": "odoo:read", "read+write": "odoo:read odoo:write" };
const ACCOUNT = "https://auth.example.com/account";

describe("tools/list from a per-scope-set cached Buffer", () => {
  /** The answer's bytes, head and id joined as the server writes them. */
  const bytes = (chunks: readonly Buffer[] | undefined) =>
    chunks ? Buffer.concat(chunks).toString("utf8") : undefined;
  const toolsList = (id: JSONRPCRequest["id"], params?: JSONRPCRequest["params"]): JSONRPCRequest => ({
    jsonrpc: "2.0",
    id,
    method: "tools/list",
    ...(params && { params }),
  });

  it.each(Object.entries(SCOPE_SETS))("is byte-identical to a fresh serialisation (%s)", (_, scope) => {
    const scopes = new Set(scope.split(" "));
    const cache = new ToolsListCache(ACCOUNT);
    for (const id of [1, 0, -7, 2 ** 53 - 1, "abc", "", 'quote " backslash \\ ü \u2028', 1e21]) {
      const fresh = JSON.stringify({ result: listTools(scopes, ACCOUNT), jsonrpc: "2.0", id });
      // Twice: the first answer fills the cache, the second comes from it.
      for (let round = 0; round < 2; round++) expect(bytes(cache.answer(toolsList(id), scopes, "legacy"))).toBe(fresh);
      expect(
        bytes(cache.answer(toolsList(id, { cursor: "next", _meta: { progressToken: 3 } }), scopes, "legacy")),
      ).toBe(fresh);
    }
  });

  it("keeps one answer per scope set, and leaves what it cannot answer to the normal path", () => {
    const cache = new ToolsListCache(ACCOUNT);
    const read = bytes(cache.answer(toolsList(1), new Set(["odoo:read"]), "legacy")) ?? "";
    const write = bytes(cache.answer(toolsList(1), new Set(["odoo:write", "odoo:read", "openid"]), "legacy")) ?? "";
    expect(read.length).toBeLessThan(write.length);
    expect(JSON.parse(write).result.tools.map((tool: { name: string }) => tool.name)).toContain("odoo_create_record");
    expect(JSON.parse(read).result.tools.map((tool: { name: string }) => tool.name)).not.toContain(
      "odoo_create_record",
    );
    expect(bytes(cache.answer(toolsList(1), new Set(["openid", "odoo:read"]), "legacy"))).toBe(read);
    expect(cache.answer(toolsList(1, { cursor: 5 }), new Set(["odoo:read"]), "legacy")).toBeUndefined();
    expect(cache.answer(toolsList(1, { task: {} }), new Set(["odoo:read"]), "legacy")).toBeUndefined();
    expect(cache.answer({ jsonrpc: "2.0", id: 1, method: "ping" }, new Set(["odoo:read"]), "legacy")).toBeUndefined();
  });
});

describe("the MCP endpoint without a per-request SDK Server", () => {
  let stack: Stack;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    stack = await startStack();
    for (const [name, scope] of Object.entries(SCOPE_SETS)) tokens[name] = await stack.token("admin", "admin", scope);
  });
  afterAll(() => stack.close());

  const post = async (body: unknown, token: string, headers: Record<string, string> = {}) => {
    const response = await fetch(stack.mcpUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${token}`,
        ...headers,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
  };

  it.each(Object.keys(SCOPE_SETS))("answers tools/list over HTTP as the SDK client expects (%s)", async (name) => {
    const token = tokens[name] as string;
    const client = await stack.connect(token);
    const viaSdk = await client.listTools();
    // The admin may write, so a read-only token is listed the write tools too, to step up (step-up.ts).
    const scopes = new Set(["odoo:read", "odoo:write"]);
    // The SDK client drops what its schema does not know (securitySchemes), so names are compared.
    expect(viaSdk.tools.map((tool) => tool.name)).toEqual(
      listTools(scopes, accountPage(stack.auth.url)).tools.map((tool) => tool.name),
    );
    await client.close();
    for (const id of [42, "req-42", 0, ""]) {
      const answer = await post({ jsonrpc: "2.0", id, method: "tools/list" }, token);
      expect(answer.status).toBe(200);
      expect(answer.type).toBe("application/json; charset=utf-8");
      expect(answer.text).toBe(
        JSON.stringify({ result: listTools(scopes, accountPage(stack.auth.url)), jsonrpc: "2.0", id }),
      );
    }
  });

  it("echoes ids of every JSON-RPC type, in batches and for errors too", async () => {
    const token = tokens["read+write"] as string;
    for (const id of [7, 0, -1, "seven", ""]) {
      for (const method of ["ping", "tools/list", "no/such/method"]) {
        const single = JSON.parse((await post({ jsonrpc: "2.0", id, method }, token)).text);
        expect(single.id).toBe(id);
      }
    }
    const batch = await post(
      [
        { jsonrpc: "2.0", id: 1, method: "ping" },
        { jsonrpc: "2.0", id: "two", method: "tools/list" },
        { jsonrpc: "2.0", method: "notifications/initialized" },
        { jsonrpc: "2.0", id: 3, method: "logging/setLevel", params: { level: "info" } },
        { jsonrpc: "2.0", id: "four", method: "tools/call", params: { name: "nope" } },
      ],
      token,
    );
    const answers = JSON.parse(batch.text);
    expect(answers.map((answer: { id: unknown }) => answer.id)).toEqual([1, "two", 3, "four"]);
    expect(answers[0]).toEqual({ result: {}, jsonrpc: "2.0", id: 1 });
    expect(answers[1].result.tools.length).toBe(ALL_TOOLS.length);
    expect(answers[2]).toEqual({
      jsonrpc: "2.0",
      id: 3,
      error: { code: ErrorCode.MethodNotFound, message: "Method not found" },
    });
    expect(answers[3]).toEqual({
      jsonrpc: "2.0",
      id: "four",
      error: { code: ErrorCode.InvalidParams, message: "MCP error -32602: Unknown tool: nope" },
    });
    expect((await post({ jsonrpc: "2.0", method: "notifications/initialized" }, token)).status).toBe(202);
  });

  it("negotiates the protocol version in initialize as the SDK Server does", async () => {
    const token = tokens["read-only"] as string;
    const initialize = async (protocolVersion: string) =>
      JSON.parse(
        (
          await post(
            {
              jsonrpc: "2.0",
              id: "init",
              method: "initialize",
              params: { protocolVersion, capabilities: {}, clientInfo: { name: "t", version: "1" } },
            },
            token,
          )
        ).text,
      );
    for (const version of SUPPORTED_PROTOCOL_VERSIONS)
      expect((await initialize(version)).result.protocolVersion).toBe(version);
    const unknown = await initialize("1999-01-01");
    expect(unknown).toMatchObject({ jsonrpc: "2.0", id: "init", result: { protocolVersion: LATEST_PROTOCOL_VERSION } });
    expect(unknown.result).toMatchObject({
      capabilities: { tools: { listChanged: false } },
      serverInfo: { name: "odoo-mcp", title: "Odoo", version: "0.1.0" },
      instructions: expect.stringContaining("odoo_search_read_records"),
    });
    // What the SDK's schemas refuse is answered as the SDK's Protocol answers it: -32603 with Zod's issues.
    const invalid = JSON.parse(
      (await post({ jsonrpc: "2.0", id: 9, method: "initialize", params: { protocolVersion: 5 } }, token)).text,
    );
    expect(invalid).toMatchObject({ jsonrpc: "2.0", id: 9, error: { code: ErrorCode.InternalError } });
    expect(invalid.error.message).toContain("protocolVersion");
    // The real SDK client negotiates, then calls a tool.
    const client = await stack.connect(token);
    expect(client.getServerVersion()).toEqual({ name: "odoo-mcp", title: "Odoo", version: "0.1.0" });
    expect(await client.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } })).toMatchObject({
      structuredContent: { count: 12 },
    });
    await client.close();
  });
});
