import { chatgptClient, client as oauth } from "@odoo-mcp/testkit/oauth";
import { type Stack, startStack, structured } from "@odoo-mcp/testkit/stack";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_TOOLS } from "../src/tools/index.js";

let stack: Stack;
let adminToken: string;
beforeAll(async () => {
  stack = await startStack({ mcpEnv: { INTROSPECTION_CACHE_TTL: "1s", INTROSPECTION_NEGATIVE_CACHE_TTL: "1s" } });
  adminToken = await stack.token();
});
afterAll(() => stack.close());

const rpc = (body: unknown, headers: Record<string, string> = {}, url = stack.mcpUrl) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const toolsList = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };

describe("protected resource metadata (RFC 9728)", () => {
  it("is served at both well-known locations and names the authorization server", async () => {
    const origin = new URL(stack.mcpUrl).origin;
    for (const path of ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"]) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        resource: stack.mcpUrl,
        authorization_servers: [stack.auth.url],
        scopes_supported: ["odoo:read", "odoo:write"],
        bearer_methods_supported: ["header"],
        resource_name: "Odoo MCP",
        resource_documentation: `${origin}/`,
      });
    }
  });

  it("mirrors the authorization server's metadata on the MCP host for older clients", async () => {
    const mirrored = await (
      await fetch(`${new URL(stack.mcpUrl).origin}/.well-known/oauth-authorization-server`)
    ).json();
    const original = await (await fetch(`${stack.auth.url}/.well-known/oauth-authorization-server`)).json();
    expect(mirrored).toEqual(original);
  });
});

describe("bearer tokens", () => {
  const resourceMetadata = () => `${new URL(stack.mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`;

  it("answers 401 with a challenge pointing at the metadata when no token is sent", async () => {
    const response = await rpc(toolsList);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${resourceMetadata()}", scope="odoo:read odoo:write"`,
    );
  });

  it("answers 401 invalid_token for a garbage, expired or revoked token", async () => {
    const garbage = await rpc(toolsList, bearer("not-a-real-token"));
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get("www-authenticate")).toMatch(
      /^Bearer resource_metadata="[^"]+", scope="odoo:read odoo:write", error="invalid_token", error_description="[^"]+"$/,
    );

    const config = await chatgptClient(stack.auth.url, await stack.auth.chatgptSecret());
    // Revoking a token ends every token of its grant (oidc-provider), so use another person's.
    const token = await stack.token("demo", "demo");
    expect((await rpc(toolsList, bearer(token))).status).toBe(200);
    await oauth.tokenRevocation(config, token);
    // Cached for at most INTROSPECTION_CACHE_TTL (1 s here), then the revocation shows.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const revoked = await rpc(toolsList, bearer(token));
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("never serves an answer from the cache past the token's expiry", async () => {
    const shortLived = await startStack({
      authEnv: { ACCESS_TOKEN_TTL: "2s" },
      mcpEnv: { INTROSPECTION_CACHE_TTL: "60s" },
    });
    try {
      const token = await shortLived.token();
      expect((await rpc(toolsList, bearer(token), shortLived.mcpUrl)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 2200));
      expect((await rpc(toolsList, bearer(token), shortLived.mcpUrl)).status).toBe(401);
    } finally {
      await shortLived.close();
    }
  });

  it("refuses a token issued for another resource (audience)", async () => {
    const other = await startStack({ mcpEnv: { MCP_RESOURCE_URL: "http://127.0.0.1:1/other-mcp" } });
    try {
      // This MCP server calls itself /other-mcp, while its authorization server issues tokens for /mcp.
      const token = await other.token();
      const response = await rpc(toolsList, bearer(token), other.mcpUrl.replace("/mcp", "/other-mcp"));
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("wrong audience");
    } finally {
      await other.close();
    }
  });

  it("answers 503 with Retry-After, not 401, when the authorization server is down", async () => {
    const isolated = await startStack();
    const token = await isolated.token();
    try {
      await isolated.auth.close();
      const response = await rpc(toolsList, bearer(token), isolated.mcpUrl);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      // An OAuth error body, like every other answer of the bearer check.
      expect(await response.json()).toEqual({
        error: "temporarily_unavailable",
        error_description: "The authorization server cannot be reached to check the token; retry shortly.",
      });
    } finally {
      await isolated.close().catch(() => undefined);
    }
  });

  it("refuses to serve while its ODOO_AUTH_MODE differs from the authorization server's", async () => {
    const { publicKey: _public, privateKey } = await generateKeyPair("ECDH-ES+A256KW", { extractable: true });
    const jwk = await exportJWK(privateKey);
    // The authorization server runs in service mode; this MCP server was told user mode.
    const mismatched = await startStack({
      mcpEnv: { ODOO_AUTH_MODE: "user", MCP_ENCRYPTION_KEY: JSON.stringify(jwk) },
    });
    try {
      const metadata = await (await fetch(`${mismatched.auth.url}/.well-known/openid-configuration`)).json();
      expect(metadata).toMatchObject({ odoo_auth_mode: "service" });
      const token = await mismatched.token();
      const response = await rpc(toolsList, bearer(token), mismatched.mcpUrl);
      expect(response.status).toBe(503);
      expect((await response.json()) as Record<string, unknown>).toMatchObject({ error: "temporarily_unavailable" });
      expect((await fetch(`${new URL(mismatched.mcpUrl).origin}/ready`)).status).toBe(503);
    } finally {
      await mismatched.close().catch(() => undefined);
    }
  });
});

// Step-up (a read-only token, a person Odoo does not let write): step-up.test.ts.
describe("scopes", () => {
  it("odoo:write implies odoo:read: a write-only token reads too", async () => {
    const writeOnly = await stack.token("admin", "admin", "odoo:write");
    const names = (await (await stack.connect(writeOnly)).listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(ALL_TOOLS.map((tool) => tool.name));
  });
});

describe("Streamable HTTP, stateless", () => {
  it("serves the guide's curl: Accept application/json only, a bare tools/list, at /mcp/", async () => {
    const response = await rpc(toolsList, { ...bearer(adminToken), accept: "application/json" }, `${stack.mcpUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const body = (await response.json()) as { result: { tools: unknown[] } };
    expect(body.result.tools.length).toBe(ALL_TOOLS.length);
  });

  it("answers JSON to clients that also accept SSE (nothing streams), and 406 to one that takes no JSON", async () => {
    const response = await rpc(toolsList, bearer(adminToken));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(((await response.json()) as { result: { tools: unknown[] } }).result.tools).toHaveLength(ALL_TOOLS.length);
    expect((await rpc(toolsList, { ...bearer(adminToken), accept: "text/html" })).status).toBe(406);
  });

  it("handles batches, notifications and the protocol version header as the spec says", async () => {
    const batch = await rpc(
      [
        { jsonrpc: "2.0", id: "a", method: "tools/list" },
        { jsonrpc: "2.0", method: "notifications/initialized" },
        { jsonrpc: "2.0", id: "b", method: "ping" },
      ],
      bearer(adminToken),
    );
    const answers = (await batch.json()) as { id: string }[];
    expect(answers.map((answer) => answer.id)).toEqual(["a", "b"]);
    const notification = await rpc({ jsonrpc: "2.0", method: "notifications/initialized" }, bearer(adminToken));
    expect(notification.status).toBe(202);
    const duplicate = await rpc(
      [
        { jsonrpc: "2.0", id: 1, method: "ping" },
        { jsonrpc: "2.0", id: 1, method: "ping" },
      ],
      bearer(adminToken),
    );
    expect(duplicate.status).toBe(400);
    const oldVersion = await rpc(toolsList, { ...bearer(adminToken), "mcp-protocol-version": "1999-01-01" });
    expect(oldVersion.status).toBe(400);
    expect((await rpc(toolsList, { ...bearer(adminToken), "mcp-protocol-version": "2025-06-18" })).status).toBe(200);
  });

  it("calls a tool with a bare tools/call", async () => {
    const response = await rpc(
      {
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "odoo_count_records", arguments: { model: "res.country" } },
      },
      { ...bearer(adminToken), accept: "application/json" },
    );
    const body = (await response.json()) as { result: unknown };
    expect(structured(body.result)).toEqual({ model: "res.country", count: 12 });
  });

  it("answers malformed JSON and non-JSON-RPC bodies with JSON-RPC errors", async () => {
    const parse = await rpc("{not json", bearer(adminToken));
    expect(parse.status).toBe(400);
    expect(await parse.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 } });
    const shape = await rpc({ hello: "world" }, bearer(adminToken));
    expect(shape.status).toBe(400);
    expect(((await shape.json()) as { error: { code: number } }).error.code).toBeLessThan(0);
    const unknownMethod = await rpc(
      { jsonrpc: "2.0", id: 3, method: "no/such/method" },
      { ...bearer(adminToken), accept: "application/json" },
    );
    expect(await unknownMethod.json()).toMatchObject({ error: { code: -32601 } });
    const unknownTool = await rpc(
      { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "nope", arguments: {} } },
      { ...bearer(adminToken), accept: "application/json" },
    );
    expect(await unknownTool.json()).toMatchObject({ error: { code: -32602 } });
  });

  it("answers GET and DELETE with 405, and preflights CORS for browser clients", async () => {
    for (const method of ["GET", "DELETE"]) {
      const response = await fetch(stack.mcpUrl, { method, headers: bearer(adminToken) });
      expect(response.status).toBe(405);
    }
    const preflight = await fetch(stack.mcpUrl, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:6274",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, mcp-protocol-version",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:6274");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("mcp-protocol-version");
    const actual = await rpc(toolsList, { origin: "http://localhost:6274" });
    expect(actual.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("www-authenticate");
  });

  it("never forwards the client's token and never logs it", async () => {
    await rpc(toolsList, bearer(adminToken));
    expect(stack.logText()).not.toContain(adminToken);
    expect(stack.auth.logText()).not.toContain(adminToken);
  });
});

describe("health", () => {
  it("/health answers while /ready checks the authorization server and Odoo", async () => {
    const origin = new URL(stack.mcpUrl).origin;
    expect(await (await fetch(`${origin}/health`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${origin}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", authorization_server: "ok", odoo: "ok (17.0)" });
  });
});
