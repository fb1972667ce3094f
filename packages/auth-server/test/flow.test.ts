import { type AuthHarness, MCP_RESOURCE, startAuth } from "@odoo-mcp/testkit/auth";
import { chatgptClient, client, codeFlow, exchange, mcpIntrospector } from "@odoo-mcp/testkit/oauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuth({ env: { REFRESH_TOKEN_REUSE_GRACE: "0" } });
});
afterAll(() => h.close());

async function tokenRequest(body: Record<string, string>, json = false) {
  const response = await fetch(`${h.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": json ? "application/json" : "application/x-www-form-urlencoded" },
    body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("authorization code + PKCE with the ChatGPT client", () => {
  it("signs in with Odoo, consents, and gets opaque, audience-bound tokens with refresh", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    const flow = await codeFlow(config);
    expect(flow.pages.map((page) => page.kind)).toEqual(["login", "consent"]);
    expect(flow.callback.searchParams.get("iss")).toBe(h.url);
    const tokens = await exchange(config, flow);
    expect(tokens.token_type?.toLowerCase()).toBe("bearer");
    expect(tokens.access_token.split(".")).toHaveLength(1);
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.scope?.split(" ").sort()).toEqual(["odoo:read", "odoo:write"]);

    const introspection = await client.tokenIntrospection(await mcpIntrospector(h.url), tokens.access_token);
    expect(introspection).toMatchObject({
      active: true,
      client_id: "chatgpt-odoo-mcp",
      sub: "demo:2",
      aud: MCP_RESOURCE,
      token_type: "Bearer",
      odoo_uid: 2,
      odoo_login: "admin",
    });
    expect(introspection.scope?.split(" ").sort()).toEqual(["odoo:read", "odoo:write"]);
    expect(Number(introspection.exp) - Number(introspection.iat)).toBe(3600);
  });

  it("names the client, its redirect host and each scope in plain words on the consent page", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    const flow = await codeFlow(config, { scope: "odoo:read odoo:write offline_access", extra: { prompt: "consent" } });
    const consent = flow.pages.find((page) => page.kind === "consent")?.html ?? "";
    expect(consent).toContain("Allow ChatGPT to use your Odoo account?");
    expect(consent).toContain("chatgpt.com");
    expect(consent).toContain("Read your Odoo records");
    expect(consent).toContain("Create, change and delete Odoo records");
    expect(consent).toContain("Stay connected");
  });

  it("remembers consent for the same client and scopes, in a new browser session too", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    await codeFlow(config, { login: "admin", password: "admin" });
    const again = await codeFlow(config, { login: "admin", password: "admin" });
    expect(again.pages.map((page) => page.kind)).toEqual(["login"]);
    expect(again.callback.searchParams.get("code")).toBeTruthy();
  });

  it("accepts ChatGPT's per-app callback pattern and nothing wider", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    const ok = await codeFlow(config, { redirectUri: "https://chatgpt.com/connector/oauth/abc_DEF-123" });
    expect(ok.callback.searchParams.get("code")).toBeTruthy();
    for (const bad of [
      "https://chatgpt.com/connector/oauth/abc/../../evil",
      "https://evil.example/connector/oauth/x",
      "https://chatgpt.com.evil.example/connector_platform_oauth_redirect",
    ]) {
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: bad,
        code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
        code_challenge_method: "S256",
        scope: "odoo:read",
      });
      const response = await fetch(url, { redirect: "manual" });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("redirect_uri");
    }
  });

  it("gives the client's default scopes to a request without scope, and the MCP resource to one without resource", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    const flow = await codeFlow(config, { scope: "", resource: null });
    const tokens = await exchange(config, flow);
    expect(tokens.scope?.split(" ").sort()).toEqual(["odoo:read", "odoo:write"]);
    const introspection = await client.tokenIntrospection(await mcpIntrospector(h.url), tokens.access_token);
    expect(introspection.aud).toBe(MCP_RESOURCE);
  });

  it("treats /mcp/ as the same resource and refuses an unknown one with invalid_target", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    const slash = await exchange(config, await codeFlow(config, { resource: `${MCP_RESOURCE}/` }));
    expect((await client.tokenIntrospection(await mcpIntrospector(h.url), slash.access_token)).aud).toBe(MCP_RESOURCE);
    const flow = await codeFlow(config, { resource: "https://elsewhere.example/api" });
    expect(flow.callback.searchParams.get("error")).toBe("invalid_target");
  });

  it("tolerates prompt=consent and id_token_hint", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    const first = await codeFlow(config, { scope: "openid odoo:read" });
    const { id_token: idToken } = await exchange(config, first);
    expect(idToken).toBeTruthy();
    const flow = await codeFlow(config, {
      browser: first.browser,
      scope: "openid odoo:read",
      extra: { prompt: "consent", id_token_hint: idToken as string },
    });
    expect(flow.pages.map((page) => page.kind)).toEqual(["consent"]);
    expect((await exchange(config, flow)).access_token).toBeTruthy();
  });
});

describe("refusals", () => {
  it("Deny returns access_denied to the client", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    const flow = await codeFlow(config, { consent: "deny", extra: { prompt: "consent" } });
    expect(flow.callback.searchParams.get("error")).toBe("access_denied");
    expect(h.logs.some((line) => line.event === "oauth_consent_denied")).toBe(true);
  });

  it("requires PKCE S256: no challenge and plain are refused", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    const base = {
      redirect_uri: "https://chatgpt.com/connector_platform_oauth_redirect",
      scope: "odoo:read",
      state: "s",
    };
    const missing = await fetch(client.buildAuthorizationUrl(config, base), { redirect: "manual" });
    expect(new URL(missing.headers.get("location") as string).searchParams.get("error")).toBe("invalid_request");
    const plain = await fetch(
      client.buildAuthorizationUrl(config, { ...base, code_challenge: "a".repeat(43), code_challenge_method: "plain" }),
      {
        redirect: "manual",
      },
    );
    const location = new URL(plain.headers.get("location") as string);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("error_description")).toMatch(/code_challenge_method/);
  });

  it("refuses a wrong verifier, a reused code and an expired code", async () => {
    const secret = await h.chatgptSecret();
    const config = await chatgptClient(h.url, secret);
    const flow = await codeFlow(config);
    const code = flow.callback.searchParams.get("code") as string;
    const base = {
      grant_type: "authorization_code",
      code,
      redirect_uri: flow.redirectUri,
      client_id: "chatgpt-odoo-mcp",
      client_secret: secret,
    };
    const wrong = await tokenRequest({ ...base, code_verifier: "x".repeat(43) });
    expect(wrong).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const flow2 = await codeFlow(config);
    const code2 = flow2.callback.searchParams.get("code") as string;
    const good = await tokenRequest({ ...base, code: code2, code_verifier: flow2.verifier });
    expect(good.status).toBe(200);
    const reused = await tokenRequest({ ...base, code: code2, code_verifier: flow2.verifier });
    expect(reused).toMatchObject({ status: 400, body: { error: "invalid_grant" } });

    const short = await startAuth({ env: { AUTHORIZATION_CODE_TTL: "1" }, sim: h.sim });
    try {
      const shortConfig = await chatgptClient(short.url, await short.chatgptSecret());
      const flow3 = await codeFlow(shortConfig);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      await expect(exchange(shortConfig, flow3)).rejects.toMatchObject({ error: "invalid_grant" });
    } finally {
      await short.close();
    }
  });

  it("withholds odoo:write from a read-only Odoo user and says so on the consent page", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    const flow = await codeFlow(config, { login: "demo", password: "demo" });
    const consent = flow.pages.find((page) => page.kind === "consent")?.html ?? "";
    expect(consent).toContain("will only be able to read");
    expect(consent).not.toContain('data-scope="odoo:write"');
    const tokens = await exchange(config, flow);
    expect(tokens.scope).toBe("odoo:read");
    // Remembered: the withheld scope does not bring the consent page back.
    const again = await codeFlow(config, { login: "demo", password: "demo" });
    expect(again.pages.map((page) => page.kind)).toEqual(["login"]);
  });

  it("refuses portal, archived and wrong credentials with one non-revealing message", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    for (const [login, password] of [
      ["portal", "portal"],
      ["former", "former"],
      ["admin", "wrong"],
      ["nobody", "x"],
    ]) {
      const error = await codeFlow(config, { login, password }).catch(
        (failure: { pages?: { status: number; html: string }[] }) => failure,
      );
      const page = (error as { pages: { status: number; html: string }[] }).pages.at(-1);
      expect(page?.status).toBe(401);
      expect(page?.html).toContain("That login and password did not work");
    }
    expect(h.logs.filter((line) => line.event === "oauth_login_failed").length).toBeGreaterThanOrEqual(4);
  });
});

describe("refresh tokens", () => {
  it("rotates on every refresh, and a replayed refresh token revokes the whole grant", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    const tokens = await exchange(config, await codeFlow(config));
    const first = tokens.refresh_token as string;
    const refreshed = await client.refreshTokenGrant(config, first);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(first);
    expect(h.logs.some((line) => line.event === "oauth_token_refreshed")).toBe(true);

    await expect(client.refreshTokenGrant(config, first)).rejects.toMatchObject({ error: "invalid_grant" });
    // The replay revoked the grant: the newest refresh token and the access tokens are dead too.
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token as string)).rejects.toMatchObject({
      error: "invalid_grant",
    });
    const introspector = await mcpIntrospector(h.url);
    expect((await client.tokenIntrospection(introspector, refreshed.access_token)).active).toBe(false);
  });

  it("answers two concurrent refreshes within the grace period with the same rotated pair", async () => {
    const graceful = await startAuth({ env: { REFRESH_TOKEN_REUSE_GRACE: "30s" }, sim: h.sim });
    try {
      const config = await chatgptClient(graceful.url, await graceful.chatgptSecret());
      const tokens = await exchange(config, await codeFlow(config));
      const [a, b] = await Promise.all([
        client.refreshTokenGrant(config, tokens.refresh_token as string),
        client.refreshTokenGrant(config, tokens.refresh_token as string),
      ]);
      // One rotation, not two chains: both callers hold the same new pair.
      expect(b.access_token).toBe(a.access_token);
      expect(b.refresh_token).toBe(a.refresh_token);
      expect((await client.refreshTokenGrant(config, b.refresh_token as string)).access_token).toBeTruthy();
    } finally {
      await graceful.close();
    }
  });

  it("issues refresh tokens to public clients too, without offline_access", async () => {
    const registered = await client.dynamicClientRegistration(
      new URL(h.url),
      {
        redirect_uris: ["http://127.0.0.1:33418/callback"],
        token_endpoint_auth_method: "none",
        client_name: "Public CLI",
      },
      client.None(),
      { execute: [client.allowInsecureRequests] },
    );
    const tokens = await exchange(
      registered,
      await codeFlow(registered, { redirectUri: "http://127.0.0.1:33418/callback" }),
    );
    expect(tokens.refresh_token).toBeTruthy();
    expect((await client.refreshTokenGrant(registered, tokens.refresh_token as string)).access_token).toBeTruthy();
  });
});

describe("introspection and revocation", () => {
  it("answers introspection only to the MCP server's client", async () => {
    const secret = await h.chatgptSecret();
    const config = await chatgptClient(h.url, secret);
    const tokens = await exchange(config, await codeFlow(config));
    const response = await fetch(`${h.url}/oauth/introspect`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: tokens.access_token, client_id: "chatgpt-odoo-mcp", client_secret: secret }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "unauthorized_client" });
    const anonymous = await fetch(`${h.url}/oauth/introspect`, {
      method: "POST",
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    expect(anonymous.status).toBeGreaterThanOrEqual(400);
  });

  it("revokes access and refresh tokens (RFC 7009)", async () => {
    const config = await chatgptClient(h.url, await h.chatgptSecret());
    const tokens = await exchange(config, await codeFlow(config));
    const introspector = await mcpIntrospector(h.url);
    await client.tokenRevocation(config, tokens.access_token);
    expect((await client.tokenIntrospection(introspector, tokens.access_token)).active).toBe(false);
    await client.tokenRevocation(config, tokens.refresh_token as string);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: "invalid_grant",
    });
    expect(h.logs.some((line) => line.event === "oauth_token_revoked")).toBe(true);
  });
});

describe("the guide's JSON token request", () => {
  it("accepts application/json bodies at the token endpoint", async () => {
    const secret = await h.chatgptSecret();
    const flow = await codeFlow(await chatgptClient(h.url, secret));
    const response = await tokenRequest(
      {
        grant_type: "authorization_code",
        code: flow.callback.searchParams.get("code") as string,
        client_id: "chatgpt-odoo-mcp",
        client_secret: secret,
        redirect_uri: flow.redirectUri,
        code_verifier: flow.verifier,
      },
      true,
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(response.body.refresh_token).toBeTruthy();
  });

  it("answers a malformed JSON body with invalid_request, not a crash", async () => {
    const response = await fetch(`${h.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{oops",
    });
    expect(response.status).toBe(400);
  });
});

describe("logs", () => {
  it("records the oauth_* events and never a secret, password or whole token", async () => {
    const secret = await h.chatgptSecret();
    const config = await chatgptClient(h.url, secret);
    const tokens = await exchange(config, await codeFlow(config));
    const events = new Set(h.logs.map((line) => line.event));
    for (const event of [
      "oauth_authorize_request",
      "oauth_authenticated",
      "oauth_consent_granted",
      "oauth_token_issued",
    ]) {
      expect(events).toContain(event);
    }
    const text = h.logText();
    expect(text).not.toContain(secret);
    expect(text).not.toContain(tokens.access_token);
    expect(text).not.toContain(tokens.refresh_token as string);
    expect(text).not.toMatch(/"password"\s*:\s*"admin"/);
  });
});
