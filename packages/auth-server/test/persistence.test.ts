import { startOdooSim } from "@odoo-mcp/odoo-sim";
import { startAuth, tempSqlitePath } from "@odoo-mcp/testkit/auth";
import { chatgptClient, client, codeFlow, exchange, mcpIntrospector } from "@odoo-mcp/testkit/oauth";
import { describe, expect, it } from "vitest";

describe("restart on the same SQLite file", () => {
  it("keeps the client secret, signing keys, grants and tokens", async () => {
    const sim = await startOdooSim();
    const sqlitePath = tempSqlitePath();
    const first = await startAuth({ sqlitePath, sim });
    const secret = await first.chatgptSecret();
    expect(first.auth.created.chatgptSecret).toBe(secret);
    const jwks = await (await fetch(`${first.url}/oauth/jwks`)).json();
    const config = await chatgptClient(first.url, secret);
    const tokens = await exchange(config, await codeFlow(config, { scope: "openid odoo:read" }));
    await first.close();

    const second = await startAuth({ sqlitePath, sim });
    try {
      expect(second.auth.created.chatgptSecret).toBeUndefined();
      // Only the secret's hash is kept; the secret shown at creation still authenticates the client.
      expect(await second.storage.getSetting("chatgpt_client_secret")).toMatch(/^sha256:/);
      expect(await (await fetch(`${second.url}/oauth/jwks`)).json()).toEqual(jwks);
      // The issuer moved with the port; the refresh token minted before the restart still works.
      const again = await chatgptClient(second.url, secret);
      const refreshed = await client.refreshTokenGrant(again, tokens.refresh_token as string);
      expect(refreshed.access_token).toBeTruthy();
      const introspection = await client.tokenIntrospection(await mcpIntrospector(second.url), tokens.access_token);
      expect(introspection).toMatchObject({ active: true, sub: "demo:2" });
    } finally {
      await second.close();
      await sim.close();
    }
  });
});
