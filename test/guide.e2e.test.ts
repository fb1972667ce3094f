/**
 * The Spanish guide's flows, against the system `pnpm start` runs: the operator's curl steps, a
 * ChatGPT-shaped confidential client, a Client ID Metadata Document client, and ChatGPT's habits of
 * reconnecting without `scope` and refreshing without `resource`. On the simulator under `pnpm test`, on
 * real Odoo 19.0 under `pnpm test:odoo`.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FormBrowser } from "@odoo-mcp/testkit/browser";
import type { OdooUsers } from "@odoo-mcp/testkit/odoo";
import { ADMIN_TOKEN, startTestSystem, systemOdoo, type TestSystem } from "@odoo-mcp/testkit/system";
import * as oauth from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHATGPT_REDIRECT = "https://chatgpt.com/connector_platform_oauth_redirect";
let system: TestSystem;
/** The Odoo's people: the administrator, and a Sales and Inventory user who may not create contacts. */
let users: OdooUsers;

/** What the guide's `curl https://…/mcp/ -H "Authorization: Bearer …" -H "Accept: application/json" -d …` does. */
async function curlMcp(token: string, body: unknown) {
  const response = await fetch(`${system.mcpUrl}/`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** Authorization URL for chatgpt-odoo-mcp, signed in and consented through the server's own forms. */
async function authorizeChatgpt(
  params: Record<string, string>,
  login = users.admin.login,
  password = users.admin.password,
) {
  const verifier = oauth.randomPKCECodeVerifier();
  const url = new URL(`${system.issuer}/oauth/authorize`);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: "chatgpt-odoo-mcp",
    redirect_uri: CHATGPT_REDIRECT,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: "xyz",
    ...params,
  }).toString();
  const outcome = await new FormBrowser().authorize(url, CHATGPT_REDIRECT, { login, password });
  return {
    code: outcome.callback.searchParams.get("code") as string,
    callback: outcome.callback,
    verifier,
    pages: outcome.pages,
  };
}

async function tokenJson(body: Record<string, string>) {
  const response = await fetch(`${system.issuer}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string | number> };
}

let documentServer: Server;
let documentOrigin: string;
const CIMD_ID = "https://mcp-client.example.net/client-metadata.json";
const CIMD_REDIRECT = "https://mcp-client.example.net/callback";

beforeAll(async () => {
  // A real HTTP server on loopback serves the metadata document; the https client id maps onto it.
  documentServer = createServer((request, response) => {
    if (request.url !== "/client-metadata.json") return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        client_id: CIMD_ID,
        client_name: "Metadata Document Client",
        redirect_uris: [CIMD_REDIRECT],
        token_endpoint_auth_method: "none",
      }),
    );
  });
  await new Promise<void>((resolve) => documentServer.listen(0, "127.0.0.1", () => resolve()));
  documentOrigin = `http://127.0.0.1:${(documentServer.address() as AddressInfo).port}`;
  const loopbackFetch: typeof fetch = (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const { dispatcher: _ssrfGuard, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
    return fetch(url.origin === "https://mcp-client.example.net" ? `${documentOrigin}${url.pathname}` : url, rest);
  };
  // The guide's service-account set-up, writes allowed: odoo:write only for people Odoo lets create records.
  const odoo = await systemOdoo();
  users = odoo.users;
  system = await startTestSystem(
    { ODOO_AUTH_MODE: "service", ODOO_SERVICE_WRITES: "true", ...odoo.env },
    { metadataDocumentFetch: loopbackFetch },
  );
});
afterAll(async () => {
  documentServer?.close();
  await system?.close();
});

describe("the guide's manual flow, step by step with curl", () => {
  it("health, credentials, authorize, token with a JSON body, tools/list and tools/call on /mcp/", async () => {
    // 1. curl https://…/health
    expect(await (await fetch(`${system.issuer}/health`)).json()).toMatchObject({ status: "ok" });
    // 2. curl https://…/oauth/credentials — now with the admin token the guide said to require.
    expect((await fetch(`${system.issuer}/oauth/credentials`)).status).toBe(401);
    const credentials = (await (
      await fetch(`${system.issuer}/oauth/credentials`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).json()) as Record<string, string>;
    expect(credentials).toMatchObject({
      client_id: "chatgpt-odoo-mcp",
      authorization_url: `${system.issuer}/oauth/authorize`,
      token_url: `${system.issuer}/oauth/token`,
      mcp_url: system.mcpUrl,
    });
    // 3. /oauth/authorize for chatgpt-odoo-mcp, then sign-in and consent.
    const { code, verifier } = await authorizeChatgpt({ scope: "odoo:read odoo:write" });
    // 4. POST /oauth/token with a JSON body and the client secret.
    const token = await tokenJson({
      grant_type: "authorization_code",
      code,
      client_id: "chatgpt-odoo-mcp",
      client_secret: system.chatgpt.clientSecret,
      redirect_uri: CHATGPT_REDIRECT,
      code_verifier: verifier,
    });
    expect(token.status).toBe(200);
    const accessToken = token.body.access_token as string;
    // 5. POST /mcp/ tools/list and a tools/call with the bearer token.
    const list = await curlMcp(accessToken, { jsonrpc: "2.0", method: "tools/list", params: {}, id: 1 });
    expect(list.status).toBe(200);
    expect((list.body.result as { tools: { name: string }[] }).tools.map((tool) => tool.name)).toContain(
      "odoo_search_read_records",
    );
    const call = await curlMcp(accessToken, {
      jsonrpc: "2.0",
      method: "tools/call",
      params: {
        name: "odoo_search_read_records",
        arguments: { model: "res.partner", domain: [["customer_rank", ">", 0]], fields: ["name", "email"], limit: 5 },
      },
      id: 2,
    });
    expect((call.body.result as { structuredContent: { records: unknown[] } }).structuredContent.records).toHaveLength(
      5,
    );
  });
});

describe("a ChatGPT-shaped client", () => {
  it("creates product Laptop Dell (LAP-DELL-001, 899) and reads it back; a read-only person is told why, a read-only grant gets 403", async () => {
    const secret = system.chatgpt.clientSecret;
    const config = await oauth.discovery(
      new URL(system.issuer),
      "chatgpt-odoo-mcp",
      undefined,
      oauth.ClientSecretPost(secret),
      { execute: [oauth.allowInsecureRequests] },
    );
    const { callback, verifier } = await authorizeChatgpt({
      scope: "odoo:read odoo:write",
      resource: `${system.mcpUrl}/`,
    });
    const tokens = await oauth.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: "xyz",
    });
    const created = await curlMcp(tokens.access_token, {
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: {
        name: "odoo_create_record",
        arguments: {
          model: "product.template",
          values: { name: "Laptop Dell", list_price: 899, default_code: "LAP-DELL-001" },
        },
      },
    });
    const { id } = (created.body.result as { structuredContent: { id: number } }).structuredContent;
    const read = await curlMcp(tokens.access_token, {
      jsonrpc: "2.0",
      id: 4,
      method: "tools/call",
      params: {
        name: "odoo_search_read_records",
        arguments: {
          model: "product.product",
          domain: [["default_code", "=", "LAP-DELL-001"]],
          fields: ["display_name", "list_price", "product_tmpl_id"],
        },
      },
    });
    const [product] = (read.body.result as { structuredContent: { records: Record<string, unknown>[] } })
      .structuredContent.records;
    expect(product).toMatchObject({
      display_name: "[LAP-DELL-001] Laptop Dell",
      list_price: 899,
      product_tmpl_id: [id, "[LAP-DELL-001] Laptop Dell"],
    });

    const createNope = {
      jsonrpc: "2.0",
      id: 5,
      method: "tools/call",
      params: { name: "odoo_create_record", arguments: { model: "product.template", values: { name: "Nope" } } },
    };
    // demo may not write in Odoo: consenting again cannot help, so the tool says why instead of a 403.
    const readOnly = await authorizeChatgpt({ scope: "odoo:read odoo:write" }, users.user.login, users.user.password);
    const demoTokens = await oauth.authorizationCodeGrant(config, readOnly.callback, {
      pkceCodeVerifier: readOnly.verifier,
      expectedState: "xyz",
    });
    expect(demoTokens.scope).toBe("odoo:read");
    const told = await curlMcp(demoTokens.access_token, createNope);
    expect(told.status).toBe(200);
    expect(JSON.stringify(told.body.result)).toContain("your Odoo user may not change data");
    // admin may: a grant of reading only is challenged (403 insufficient_scope) so consent can add writing.
    const readGrant = await authorizeChatgpt({ scope: "odoo:read" });
    const readTokens = await oauth.authorizationCodeGrant(config, readGrant.callback, {
      pkceCodeVerifier: readGrant.verifier,
      expectedState: "xyz",
    });
    const refused = await curlMcp(readTokens.access_token, createNope);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  });

  it("keeps working when it reconnects without scope and refreshes without resource", async () => {
    const config = await oauth.discovery(
      new URL(system.issuer),
      "chatgpt-odoo-mcp",
      undefined,
      oauth.ClientSecretPost(system.chatgpt.clientSecret),
      {
        execute: [oauth.allowInsecureRequests],
      },
    );
    const { callback, verifier, pages } = await authorizeChatgpt({});
    expect(pages.map((page) => page.kind)).toEqual(["login"]); // consent remembered from the earlier test
    const tokens = await oauth.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: "xyz",
    });
    expect(tokens.scope?.split(" ").sort()).toEqual(["odoo:read", "odoo:write"]);
    const refreshed = await oauth.refreshTokenGrant(config, tokens.refresh_token as string);
    const count = await curlMcp(refreshed.access_token, {
      jsonrpc: "2.0",
      id: 6,
      method: "tools/call",
      params: { name: "odoo_count_records", arguments: { model: "res.country" } },
    });
    // Every country Odoo knows: the simulator's dozen, or a real Odoo's two hundred and more.
    const counted = (count.body.result as { structuredContent: { model: string; count: number } }).structuredContent;
    expect(counted).toEqual({ model: "res.country", count: expect.any(Number) });
    expect(counted.count).toBeGreaterThanOrEqual(12);
  });
});

describe("a client identified by a Client ID Metadata Document", () => {
  it("is resolved from the document on a loopback server and reaches a tool call", async () => {
    const verifier = oauth.randomPKCECodeVerifier();
    const url = new URL(`${system.issuer}/oauth/authorize`);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: CIMD_ID,
      redirect_uri: CIMD_REDIRECT,
      scope: "odoo:read",
      resource: system.mcpUrl,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    const outcome = await new FormBrowser().authorize(url, CIMD_REDIRECT, {
      login: users.admin.login,
      password: users.admin.password,
    });
    expect(outcome.pages.find((page) => page.kind === "consent")?.html).toContain("Metadata Document Client");
    const token = await fetch(`${system.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: outcome.callback.searchParams.get("code") as string,
        redirect_uri: CIMD_REDIRECT,
        client_id: CIMD_ID,
        code_verifier: verifier,
      }),
    });
    const { access_token: accessToken, scope } = (await token.json()) as { access_token: string; scope: string };
    expect(scope).toBe("odoo:read");
    const result = await curlMcp(accessToken, {
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: { name: "search", arguments: { query: "Azure" } },
    });
    expect(
      (result.body.result as { structuredContent: { results: unknown[] } }).structuredContent.results.length,
    ).toBeGreaterThan(0);
  });
});
