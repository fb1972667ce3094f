/**
 * Security review, round two (issue 16): each attack reproduced against the real authorization server,
 * and shown to fail. The other findings have their own files (logout, redirect policy, client secrets).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, type AuthHarness, startAuth } from "./harness.js";
import { chatgptClient, client, codeFlow, exchange, mcpIntrospector } from "./oauth.js";

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

/** GET a sign-in page, then post its form `times` times at once; answers each post's status. */
async function postSignInForms(
  base: string,
  page: "/account" | "/admin",
  action: string,
  bodies: Record<string, string>[],
  headers: Record<string, string> = {},
): Promise<number[]> {
  const form = await fetch(`${base}${page}`, { headers });
  const cookie = (form.headers.getSetCookie?.() ?? []).map((value) => value.split(";")[0]).join("; ");
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] as string;
  return Promise.all(
    bodies.map(async (body) => {
      const response = await fetch(`${base}${page}${action}`, {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams({ csrf, ...body }).toString(),
        redirect: "manual",
      });
      await response.body?.cancel();
      return response.status;
    }),
  );
}

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
