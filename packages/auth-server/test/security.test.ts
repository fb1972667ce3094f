/**
 * Security review, round two (issue 16): each attack reproduced against the real authorization server,
 * and shown to fail. The other findings have their own files (logout, redirect policy, client secrets).
 */
import { ADMIN_TOKEN, type AuthHarness, startAuth } from "@odoo-mcp/testkit/auth";
import { postSignInForms } from "@odoo-mcp/testkit/browser";
import { chatgptClient, client, codeFlow, exchange, mcpIntrospector } from "@odoo-mcp/testkit/oauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuth();
});
afterAll(() => h.close());

describe("the consent log (item 12)", () => {
  it("records the scopes the grant holds, not the scopes the client asked for", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    // A read-only person; offline_access without prompt=consent is dropped by oidc-provider.
    const flow = await codeFlow(config, {
      login: "demo",
      password: "demo",
      scope: "openid offline_access odoo:read odoo:write",
    });
    const tokens = await exchange(config, flow);
    const introspection = await client.tokenIntrospection(await mcpIntrospector(h.url), tokens.access_token);
    const line = h.logs.findLast((entry) => entry.event === "oauth_consent_granted" && entry.sub === "demo:3");
    const logged = String(line?.scope).split(" ").sort();
    expect(logged).not.toContain("odoo:write");
    expect(logged).not.toContain("offline_access");
    expect(logged.filter((scope) => scope.startsWith("odoo:"))).toEqual(String(introspection.scope).split(" ").sort());
    expect(line?.withheld).toBe("odoo:write");
  });
});

describe("the sign-in lockout (item 3)", () => {
  it("counts before asking Odoo: of 100 parallel guesses, only the login's budget reaches Odoo", async () => {
    const local = await startAuth();
    try {
      let reachedOdoo = 0;
      local.sim.server.on("request", (request) => {
        if (request.url === "/web/session/authenticate") reachedOdoo++;
      });
      const guesses = Array.from({ length: 100 }, (_, index) => ({ login: "admin", password: `guess-${index}` }));
      const statuses = await postSignInForms(local.url, "/account", "/login", guesses);
      expect(reachedOdoo).toBeLessThanOrEqual(5);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(95);
      // The right password now waits for the window to end, like every other try.
      const [afterwards] = await postSignInForms(local.url, "/account", "/login", [
        { login: "admin", password: "admin" },
      ]);
      expect(afterwards).toBe(429);
      expect(reachedOdoo).toBeLessThanOrEqual(5);
    } finally {
      await local.close();
    }
  });

  it("gives a successful sign-in its attempt back", async () => {
    const local = await startAuth();
    try {
      for (let round = 0; round < 8; round++) {
        const [status] = await postSignInForms(local.url, "/account", "/login", [{ login: "demo", password: "demo" }]);
        expect(status).toBe(303); // signed in, sent to the connected-apps page
      }
    } finally {
      await local.close();
    }
  });
});

describe("the admin console's token sign-in (item 8)", () => {
  it("throttles wrong tokens by address, so one address cannot lock the operator out", async () => {
    const local = await startAuth({ env: { TRUST_PROXY: "true" } });
    try {
      const attacker = { "x-forwarded-for": "203.0.113.7" };
      const wrong = Array.from({ length: 30 }, () => ({ token: "not-the-admin-token-at-all-000000" }));
      const statuses = await postSignInForms(local.url, "/admin", "/token", wrong, attacker);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
      const operator = { "x-forwarded-for": "198.51.100.20" };
      const [status] = await postSignInForms(local.url, "/admin", "/token", [{ token: ADMIN_TOKEN }], operator);
      expect(status).toBe(303); // signed in, sent to the console
    } finally {
      await local.close();
    }
  });
});

describe("odoo:write follows the person's Odoo rights (item 2)", () => {
  it("drops odoo:write at refresh once Odoo no longer lets the person write, and says so on /account", async () => {
    const local = await startAuth({ env: { ODOO_USERNAME: "admin", ODOO_PASSWORD: "admin", ODOO_RIGHTS_TTL: "0" } });
    const admin = local.sim.database.users.find((user) => user.login === "admin");
    if (!admin) throw new Error("no admin");
    try {
      const config = await chatgptClient(local.url, await local.chatgptSecret());
      const tokens = await exchange(config, await codeFlow(config, { login: "admin", password: "admin" }));
      const introspector = await mcpIntrospector(local.url);
      const scopeOf = async (token: string) =>
        String((await client.tokenIntrospection(introspector, token)).scope)
          .split(" ")
          .sort();
      expect(await scopeOf(tokens.access_token)).toEqual(["odoo:read", "odoo:write"]);
      // The administrator loses the Settings group in Odoo.
      admin.group = "user";
      const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token as string);
      expect(await scopeOf(refreshed.access_token)).toEqual(["odoo:read"]);
      expect(local.logs.some((line) => line.event === "oauth_write_withdrawn" && line.sub === "demo:2")).toBe(true);
      // The grant says so: /account shows the app as read-only, with the reason.
      const [grant] = (await local.storage.list("Grant")).filter((entry) => entry.accountId === "demo:2");
      expect((grant as { rejected?: { resources?: Record<string, string> } }).rejected?.resources).toEqual({
        "http://127.0.0.1:3999/mcp": "odoo:write",
      });
      // Another refresh keeps it out, and a sign-in remembered from before does not bring it back.
      const again = await client.refreshTokenGrant(config, refreshed.refresh_token as string);
      expect(await scopeOf(again.access_token)).toEqual(["odoo:read"]);
    } finally {
      admin.group = "admin";
      await local.close();
    }
  });

  it("ends the grant at refresh when the person is no longer an active internal user", async () => {
    const local = await startAuth({ env: { ODOO_USERNAME: "admin", ODOO_PASSWORD: "admin", ODOO_RIGHTS_TTL: "0" } });
    const demo = local.sim.database.users.find((user) => user.login === "demo");
    if (!demo) throw new Error("no demo");
    try {
      const config = await chatgptClient(local.url, await local.chatgptSecret());
      const tokens = await exchange(config, await codeFlow(config, { login: "demo", password: "demo" }));
      demo.group = "portal";
      await expect(client.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
        error: "invalid_grant",
      });
    } finally {
      demo.group = "user";
      await local.close();
    }
  });
});

describe("dynamic registration cannot grow without bound (item 4)", () => {
  const register = (base: string, path = "/oauth/register") =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ redirect_uris: ["http://127.0.0.1:8976/callback"], token_endpoint_auth_method: "none" }),
    });

  it("counts every path the router maps to registration: a trailing slash or capitals change nothing", async () => {
    const local = await startAuth({ env: { REGISTRATION_RATE_LIMIT: "2" } });
    try {
      const statuses = [];
      for (const path of ["/oauth/register/", "/OAUTH/REGISTER", "/oauth/Register/", "/oauth/register"])
        statuses.push((await register(local.url, path)).status);
      expect(statuses.slice(0, 2)).toEqual([201, 201]);
      expect(statuses.slice(2)).toEqual([429, 429]);
    } finally {
      await local.close();
    }
  });

  it("holds at most DCR_MAX_CLIENTS registered clients, and shows the limits on /admin", async () => {
    const local = await startAuth({ env: { DCR_MAX_CLIENTS: "2" } });
    try {
      expect((await register(local.url)).status).toBe(201);
      expect((await register(local.url)).status).toBe(201);
      const refused = await register(local.url);
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({ error: "temporarily_unavailable" });
      expect(refused.headers.get("retry-after")).toBeTruthy();
      // The operator sees the count and both limits on /admin.
      const form = await fetch(`${local.url}/admin`);
      const formCookie = form.headers.getSetCookie().map((value) => value.split(";")[0]);
      const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] as string;
      const signedIn = await fetch(`${local.url}/admin/token`, {
        method: "POST",
        headers: { cookie: formCookie.join("; "), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf, token: ADMIN_TOKEN }).toString(),
        redirect: "manual",
      });
      const session = [...formCookie, ...signedIn.headers.getSetCookie().map((value) => value.split(";")[0])];
      const page = await (await fetch(`${local.url}/admin`, { headers: { cookie: session.join("; ") } })).text();
      expect(page).toMatch(
        /data-registration>Registered clients: 2 of at most 2\. .* 24 hours .* 30 days, is deleted\./,
      );
    } finally {
      await local.close();
    }
  });

  it("deletes a registered client that got no token for DCR_CLIENT_TTL", async () => {
    const local = await startAuth({ env: { DCR_CLIENT_TTL: "1s" } });
    try {
      const { client_id: clientId } = (await (await register(local.url)).json()) as { client_id: string };
      expect(await local.auth.provider.Client.find(clientId)).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect(await local.auth.provider.Client.find(clientId)).toBeUndefined();
      // The preconfigured ChatGPT client never expires.
      expect(await local.auth.provider.Client.find("chatgpt-odoo-mcp")).toBeDefined();
    } finally {
      await local.close();
    }
  });
});
