import { type AuthHarness, startAuth } from "@odoo-mcp/testkit/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuth();
});
afterAll(() => h.close());

const json = async (path: string) => {
  const response = await fetch(`${h.url}${path}`);
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
};

describe("discovery", () => {
  it("serves the same metadata at the OpenID and RFC 8414 locations, issuer identical", async () => {
    const oidc = await json("/.well-known/openid-configuration");
    const rfc8414 = await json("/.well-known/oauth-authorization-server");
    expect(oidc.status).toBe(200);
    expect(rfc8414.body).toEqual(oidc.body);
    expect(oidc.body).toMatchObject({
      issuer: h.url,
      authorization_endpoint: `${h.url}/oauth/authorize`,
      token_endpoint: `${h.url}/oauth/token`,
      registration_endpoint: `${h.url}/oauth/register`,
      introspection_endpoint: `${h.url}/oauth/introspect`,
      revocation_endpoint: `${h.url}/oauth/revoke`,
      jwks_uri: `${h.url}/oauth/jwks`,
      code_challenge_methods_supported: ["S256"],
      authorization_response_iss_parameter_supported: true,
      client_id_metadata_document_supported: true,
      response_types_supported: ["code"],
      grant_types_supported: ["authorization_code", "refresh_token"],
    });
    expect(oidc.body.scopes_supported).toEqual(
      expect.arrayContaining(["odoo:read", "odoo:write", "offline_access", "openid"]),
    );
    expect(oidc.body.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(["client_secret_basic", "client_secret_post", "none"]),
    );
  });

  it("publishes an RS256 public signing key and nothing private", async () => {
    const { body } = await json("/oauth/jwks");
    const keys = body.keys as Record<string, unknown>[];
    expect(keys.some((key) => key.alg === "RS256" && key.kty === "RSA")).toBe(true);
    for (const key of keys) expect(key).not.toHaveProperty("d");
  });

  it("reports storage status at /health and honours X-Forwarded-* only when configured", async () => {
    expect(await json("/health")).toMatchObject({
      status: 200,
      body: { status: "ok", storage: { kind: "sqlite", status: "ok" } },
    });
    const authorize = (base: string) =>
      `${base}/oauth/authorize?${new URLSearchParams({
        client_id: "chatgpt-odoo-mcp",
        response_type: "code",
        redirect_uri: "https://chatgpt.com/connector_platform_oauth_redirect",
        scope: "odoo:read",
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        code_challenge_method: "S256",
      })}`;
    const forwarded = {
      "x-forwarded-proto": "https",
      "x-forwarded-host": "auth.example.com",
      "x-forwarded-for": "203.0.113.9",
    };
    const direct = await fetch(authorize(h.url), { headers: forwarded, redirect: "manual" });
    expect(direct.headers.getSetCookie().some((cookie) => /;\s*secure/i.test(cookie))).toBe(false);
    const proxied = await startAuth({
      env: { TRUST_PROXY: "true", AUTH_ISSUER: "https://auth.example.com" },
      sim: h.sim,
    });
    try {
      const viaProxy = await fetch(authorize(proxied.url), { headers: forwarded, redirect: "manual" });
      expect(viaProxy.status).toBe(303);
      expect(viaProxy.headers.get("location")).toMatch(/^\/interaction\//);
      // Behind a TLS-terminating proxy the cookies are marked Secure, as the browser sees https.
      expect(viaProxy.headers.getSetCookie().every((cookie) => /;\s*secure/i.test(cookie))).toBe(true);
      const metadata = (await (await fetch(`${proxied.url}/.well-known/oauth-authorization-server`)).json()) as {
        issuer: string;
      };
      expect(metadata.issuer).toBe("https://auth.example.com");
    } finally {
      await proxied.close();
    }
  });
});

describe("configured keys", () => {
  it("signs with the JWKS from AUTH_JWKS instead of generating one", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const jwk = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
    const configured = await startAuth({
      env: {
        AUTH_JWKS: JSON.stringify({ keys: [{ ...jwk, kid: "configured-key", alg: "RS256", use: "sig" }] }),
        AUTH_COOKIE_KEYS: "a-cookie-key-of-at-least-32-characters-long",
      },
      sim: h.sim,
    });
    try {
      const { keys } = (await (await fetch(`${configured.url}/oauth/jwks`)).json()) as { keys: { kid: string }[] };
      expect(keys.map((key) => key.kid)).toEqual(["configured-key"]);
      expect(await configured.storage.getSetting("jwks")).toBeUndefined();
    } finally {
      await configured.close();
    }
  });
});
