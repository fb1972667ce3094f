import { type AuthHarness, startAuth } from "@odoo-mcp/testkit/auth";
import { client, codeFlow, exchange } from "@odoo-mcp/testkit/oauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let h: AuthHarness;
beforeAll(async () => {
  h = await startAuth({ env: { REGISTRATION_RATE_LIMIT: "40" } });
});
afterAll(() => h.close());

async function register(metadata: Record<string, unknown>, base = h.url) {
  const response = await fetch(`${base}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(metadata),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe("dynamic client registration (RFC 7591)", () => {
  it("registers public clients with Claude's, MCP Inspector's and loopback callbacks", async () => {
    for (const redirect of [
      "https://claude.ai/api/mcp/auth_callback",
      "https://claude.com/api/mcp/auth_callback",
      "http://localhost:6274/oauth/callback",
      "http://127.0.0.1:8976/callback",
    ]) {
      const { status, body } = await register({
        redirect_uris: [redirect],
        token_endpoint_auth_method: "none",
        client_name: "MCP client",
      });
      expect(status, redirect).toBe(201);
      expect(body).toMatchObject({ redirect_uris: [redirect], token_endpoint_auth_method: "none" });
      expect(body).not.toHaveProperty("client_secret");
    }
    expect(h.logs.some((line) => line.event === "oauth_client_registered")).toBe(true);
  });

  it("registers confidential clients with a generated secret", async () => {
    for (const method of ["client_secret_post", "client_secret_basic"]) {
      const { status, body } = await register({
        redirect_uris: ["https://app.example.com/cb"],
        token_endpoint_auth_method: method,
      });
      expect(status).toBe(201);
      expect(String(body.client_secret).length).toBeGreaterThanOrEqual(32);
    }
  });

  it("refuses http redirect URIs off loopback, fragments, and private-use schemes for web clients", async () => {
    for (const redirect of [
      "http://app.example.com/cb",
      "https://app.example.com/cb#frag",
      "myapp:/callback",
      "javascript:alert(1)",
    ]) {
      const { status, body } = await register({ redirect_uris: [redirect], token_endpoint_auth_method: "none" });
      expect(status, redirect).toBe(400);
      expect(["invalid_redirect_uri", "invalid_client_metadata"]).toContain(body.error);
    }
    const native = await register({
      redirect_uris: ["com.example.app:/callback"],
      application_type: "native",
      token_endpoint_auth_method: "none",
    });
    expect(native.status).toBe(201);
  });

  it("matches a loopback redirect on any port (RFC 8252) and completes the flow", async () => {
    const registered = await client.dynamicClientRegistration(
      new URL(h.url),
      { redirect_uris: ["http://127.0.0.1:1/callback"], token_endpoint_auth_method: "none" },
      client.None(),
      { execute: [client.allowInsecureRequests] },
    );
    const flow = await codeFlow(registered, { redirectUri: "http://127.0.0.1:54321/callback" });
    expect((await exchange(registered, flow)).access_token).toBeTruthy();
  });

  it("holds registrations to an allowlist of redirect hosts when configured (loopback always allowed)", async () => {
    const strict = await startAuth({ env: { DCR_ALLOWED_REDIRECT_HOSTS: "claude.ai,claude.com" }, sim: h.sim });
    try {
      expect(
        (
          await register(
            { redirect_uris: ["https://claude.ai/api/mcp/auth_callback"], token_endpoint_auth_method: "none" },
            strict.url,
          )
        ).status,
      ).toBe(201);
      expect(
        (
          await register(
            { redirect_uris: ["http://localhost:6274/oauth/callback"], token_endpoint_auth_method: "none" },
            strict.url,
          )
        ).status,
      ).toBe(201);
      const refused = await register(
        { redirect_uris: ["https://evil.example/cb"], token_endpoint_auth_method: "none" },
        strict.url,
      );
      expect(refused).toMatchObject({ status: 400, body: { error: "invalid_redirect_uri" } });
    } finally {
      await strict.close();
    }
  });

  it("persists registered clients in storage", async () => {
    const { body } = await register({
      redirect_uris: ["https://app.example.com/cb"],
      token_endpoint_auth_method: "none",
    });
    expect(await h.storage.adapter("Client").find(String(body.client_id))).toMatchObject({ client_id: body.client_id });
  });

  it("rate-limits registrations per address with 429 and Retry-After", async () => {
    const limited = await startAuth({ env: { REGISTRATION_RATE_LIMIT: "3" }, sim: h.sim });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof register>> | undefined;
      for (let i = 0; i < 5; i++) {
        last = await register(
          { redirect_uris: ["https://app.example.com/cb"], token_endpoint_auth_method: "none" },
          limited.url,
        );
        statuses.push(last.status);
      }
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
