import { ADMIN_TOKEN, type AuthHarness, startAuth } from "@odoo-mcp/testkit/auth";
import { chatgptClient, client, codeFlow, exchange, mcpIntrospector } from "@odoo-mcp/testkit/oauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuth();
});
afterAll(() => h.close());

const adminFetch = (path: string, init: RequestInit = {}, token: string | null = ADMIN_TOKEN) =>
  fetch(`${h.url}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
  });

describe("operator endpoints", () => {
  it("need the admin bearer token: 401 with a WWW-Authenticate challenge otherwise", async () => {
    for (const [path, method] of [
      ["/oauth/credentials", "GET"],
      ["/oauth/rotate-secret", "POST"],
      ["/oauth/tokens/active", "GET"],
      ["/oauth/tokens/revoke", "POST"],
    ] as const) {
      const missing = await adminFetch(path, { method }, null);
      expect(missing.status, path).toBe(401);
      expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="odoo-mcp admin"');
      const wrong = await adminFetch(path, { method }, "not-the-admin-token");
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
  });

  it("GET /oauth/credentials gives what the ChatGPT connector form asks for, but never the secret", async () => {
    const response = await adminFetch("/oauth/credentials");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      client_id: "chatgpt-odoo-mcp",
      authorization_url: `${h.url}/oauth/authorize`,
      token_url: `${h.url}/oauth/token`,
      scopes: ["odoo:read", "odoo:write"],
      mcp_url: "http://127.0.0.1:3999/mcp",
      note: expect.any(String),
    });
  });

  it("POST /oauth/rotate-secret: the new secret works, the old one stops working", async () => {
    const old = await h.chatgptSecret();
    const response = await adminFetch("/oauth/rotate-secret", { method: "POST" });
    const { client_secret: fresh } = (await response.json()) as { client_secret: string };
    expect(fresh).not.toBe(old);
    const tokens = await exchange(await chatgptClient(h.url, fresh), await codeFlow(await chatgptClient(h.url, fresh)));
    expect(tokens.access_token).toBeTruthy();
    const stale = await chatgptClient(h.url, old);
    await expect(client.refreshTokenGrant(stale, tokens.refresh_token as string)).rejects.toMatchObject({
      error: "invalid_client",
    });
  });

  it("lists active tokens by prefix only, and revokes by grant, client or subject", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    const tokens = await exchange(config, await codeFlow(config, { login: "demo", password: "demo" }));
    const listing = (await (await adminFetch("/oauth/tokens/active")).json()) as {
      count: number;
      tokens: { token: string; type: string; client_id: string; sub: string; scope: string; expires_at: string }[];
    };
    expect(listing.count).toBe(listing.tokens.length);
    const mine = listing.tokens.filter((token) => token.sub === "demo:3");
    expect(mine.map((token) => token.type).sort()).toEqual(["access_token", "refresh_token"]);
    for (const token of mine) {
      expect(token.token).toMatch(/^[0-9a-f]{12}…$/);
      expect(token.client_id).toBe("chatgpt-odoo-mcp");
      expect(Date.parse(token.expires_at)).toBeGreaterThan(Date.now());
    }
    expect(JSON.stringify(listing)).not.toContain(tokens.access_token);

    const missing = await adminFetch("/oauth/tokens/revoke", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(missing.status).toBe(400);
    const revoke = await adminFetch("/oauth/tokens/revoke", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sub: "demo:3" }),
    });
    expect(((await revoke.json()) as { revoked_grants: number }).revoked_grants).toBeGreaterThanOrEqual(1);
    expect((await client.tokenIntrospection(await mcpIntrospector(h.url), tokens.access_token)).active).toBe(false);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: "invalid_grant",
    });
  });
});
