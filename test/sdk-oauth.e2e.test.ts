/**
 * The official MCP SDK client, knowing only the MCP URL, does the whole OAuth dance against the real
 * servers; a person signs in and consents in headless Chromium; the SDK refreshes by itself.
 */
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InvalidGrantError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { screenshotPath } from "@odoo-mcp/testkit/chromium";
import { AppOAuthProvider, personAllows, SIGNED_IN_HEADING, useSdkAppSuite } from "@odoo-mcp/testkit/mcp-oauth-client";
import { describe, expect, it } from "vitest";

const suite = useSdkAppSuite({ ACCESS_TOKEN_TTL: "3s", INTROSPECTION_CACHE_TTL: "1s" });

/** The person's part: open the authorization URL, sign in, allow, land on the loopback callback. */
async function personAuthorizes(url: URL): Promise<string> {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  try {
    await personAllows(page, url, async (page) => {
      await page.screenshot({ path: screenshotPath("e2e-sdk-consent"), fullPage: true });
    });
    await page.getByRole("heading", { name: SIGNED_IN_HEADING }).waitFor();
    const code = suite.callback.codes.at(-1);
    if (!code) throw new Error("no code reached the callback");
    return code;
  } finally {
    await context.close();
  }
}

describe("the MCP SDK client, knowing only the MCP URL", () => {
  it("discovers, registers, authorizes with PKCE and resource, calls tools, refreshes, and stops at revocation", async () => {
    const provider = new AppOAuthProvider(suite.callback.url);
    const mcpUrl = new URL(suite.system.mcpUrl);

    // 1. First connection: 401 -> PRM -> AS metadata -> DCR -> authorization URL handed to the app.
    const first = new Client({ name: "e2e", version: "1.0.0" });
    await expect(
      first.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.client?.client_id).toBeTruthy();
    const authorizationUrl = provider.authorizationUrls.at(-1) as URL;
    expect(authorizationUrl.origin).toBe(suite.system.issuer);
    expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizationUrl.searchParams.get("resource")).toBe(suite.system.mcpUrl);
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
    const metadata = (await (await fetch(`${suite.system.issuer}/.well-known/oauth-authorization-server`)).json()) as {
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
    const raw = await fetch(suite.system.mcpUrl, {
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
