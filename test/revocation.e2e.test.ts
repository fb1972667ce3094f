/**
 * Revocation reaches the MCP server at once with no Redis or PostgreSQL (`pnpm start`): the MCP server
 * holds the authorization server's revocation stream open as its own client (issue 16, item 6).
 */
import { callTool } from "@odoo-mcp/testkit/mcp";
import { client } from "@odoo-mcp/testkit/oauth";
import { connectorTokens, startTestSystem, type TestSystem } from "@odoo-mcp/testkit/system";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(() => system.close());

const countCountries = (token: string) =>
  callTool(system.mcpUrl, token, "odoo_count_records", { model: "res.country" });

describe("revocation under pnpm start (no shared bus)", () => {
  it("ends a revoked token at the MCP server at once, though its answer was cached", async () => {
    const { config, tokens } = await connectorTokens(system);
    // Cached at the MCP server (INTROSPECTION_CACHE_TTL is 60 s by default).
    expect((await countCountries(tokens.access_token)).status).toBe(200);
    expect((await countCountries(tokens.access_token)).status).toBe(200);
    await client.tokenRevocation(config, tokens.access_token);
    const deadline = Date.now() + 2000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await countCountries(tokens.access_token)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(401);
  });

  it("serves the stream only to the MCP server's own client", async () => {
    const url = `${system.issuer}/oauth/revocations`;
    expect((await fetch(url)).status).toBe(401);
    const wrong = Buffer.from("mcp-resource-server:not-the-secret").toString("base64");
    const refused = await fetch(url, { headers: { authorization: `Basic ${wrong}` } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Basic/);
  });
});
