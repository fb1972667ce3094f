/**
 * The official MCP SDK client, knowing only the MCP URL, does the whole OAuth dance against the real
 * servers; a person signs in and consents in headless Chromium; the SDK refreshes by itself.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InvalidGrantError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { launchChromium, screenshotPath } from "@odoo-mcp/testkit/chromium";
import { OAuthApp } from "@odoo-mcp/testkit/oauth-app";
import { startTestSystem, type TestSystem } from "@odoo-mcp/testkit/system";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let system: TestSystem;
let browser: Browser;
let callbackServer: Server;
let callbackUrl: string;
const codes: string[] = [];

beforeAll(async () => {
  system = await startTestSystem({ ACCESS_TOKEN_TTL: "3s", INTROSPECTION_CACHE_TTL: "1s" });
  browser = await launchChromium();
  callbackServer = createServer((request, response) => {
    const code = new URL(request.url ?? "/", "http://127.0.0.1").searchParams.get("code");
    if (code) codes.push(code);
    response.writeHead(200, { "content-type": "text/html" }).end("<h1>Signed in. You can close this window.</h1>");
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, "127.0.0.1", () => resolve()));
  callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
});
afterAll(async () => {
  await browser?.close();
  callbackServer?.close();
  await system?.close();
});

/** The person's part: open the authorization URL, sign in, allow, land on the loopback callback. */
async function personAuthorizes(url: URL): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(url.href);
    await page.getByLabel("Login or email").fill("admin");
    await page.getByLabel("Password or API key").fill("admin");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Allow" }).waitFor();
    await page.screenshot({ path: screenshotPath("e2e-sdk-consent"), fullPage: true });
    await page.getByRole("button", { name: "Allow" }).click();
    await page.getByRole("heading", { name: "Signed in. You can close this window." }).waitFor();
    const code = codes.at(-1);
    if (!code) throw new Error("no code reached the callback");
    return code;
  } finally {
    await context.close();
  }
}

describe("the MCP SDK client, knowing only the MCP URL", () => {
  it("discovers, registers, authorizes with PKCE and resource, calls tools, refreshes, and stops at revocation", async () => {
    const provider = new OAuthApp(callbackUrl);
    const mcpUrl = new URL(system.mcpUrl);

    // 1. First connection: 401 -> PRM -> AS metadata -> DCR -> authorization URL handed to the app.
    const first = new Client({ name: "e2e", version: "1.0.0" });
    await expect(
      first.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.client?.client_id).toBeTruthy();
    const authorizationUrl = provider.authorizationUrls.at(-1) as URL;
    expect(authorizationUrl.origin).toBe(system.issuer);
    expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizationUrl.searchParams.get("resource")).toBe(system.mcpUrl);
    expect(authorizationUrl.searchParams.get("scope")).toBe("odoo:read odoo:write");

    // 2. The person signs in and consents in Chromium; the app finishes with the code.
    const code = await personAuthorizes(authorizationUrl);
    const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await transport.finishAuth(code);
    expect(provider.saved?.refresh_token).toBeTruthy();

    // 3. Connected: tools/list and the guide's first question.
    const client = new Client({ name: "e2e", version: "1.0.0" });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("odoo_create_record");
    const customers = await client.callTool({
      name: "odoo_search_read_records",
      arguments: {
        model: "res.partner",
        domain: [
          ["customer_rank", ">", 0],
          ["active", "=", true],
        ],
        fields: ["name", "email"],
        limit: 5,
      },
    });
    expect((customers.structuredContent as { records: unknown[] }).records).toHaveLength(5);

    // 4. The access token expires (3 s here): the SDK refreshes by itself and the call succeeds.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const count = await client.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } });
    expect(count.structuredContent).toEqual({ model: "res.country", count: 12 });
    expect(provider.refreshes).toBeGreaterThanOrEqual(1);

    // 5. Revocation (RFC 7009) of the refresh token ends the grant's tokens: the next call is refused
    //    and the SDK's refresh is refused with invalid_grant: the person must authorize again.
    const metadata = (await (await fetch(`${system.issuer}/.well-known/oauth-authorization-server`)).json()) as {
      revocation_endpoint: string;
    };
    const revoked = await fetch(metadata.revocation_endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: provider.saved?.refresh_token as string,
        client_id: provider.client?.client_id as string,
      }),
    });
    expect(revoked.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const failure = await client
      .callTool({ name: "odoo_count_records", arguments: { model: "res.country" } })
      .catch((error: Error) => error);
    expect(failure).toBeInstanceOf(InvalidGrantError);
    const raw = await fetch(system.mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${provider.saved?.access_token}`,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(raw.status).toBe(401);
  });
});
