/**
 * One redirect policy for every kind of client and for both redirect_uris and post_logout_redirect_uris.
 * The attack: with DCR_ALLOWED_REDIRECT_HOSTS set, a Client ID Metadata Document, or a native app's
 * private-use scheme, still redirected anywhere; so did a client registered before the list was set.
 */
import { startOdooSim } from "@odoo-mcp/odoo-sim";
import { startAuth, tempSqlitePath } from "@odoo-mcp/testkit/auth";
import { chatgptClient, codeFlow, exchange } from "@odoo-mcp/testkit/oauth";
import { describe, expect, it } from "vitest";
import type { AuthConfig } from "../src/config.js";
import { checkRedirectPolicy } from "../src/provider/clients.js";

const strictConfig = { DCR_ALLOWED_REDIRECT_HOSTS: ["example.com", "claude.ai"], MCP_CLIENT_ID: "mcp" } as Pick<
  AuthConfig,
  "DCR_ALLOWED_REDIRECT_HOSTS" | "MCP_CLIENT_ID"
>;
const openConfig = { ...strictConfig, DCR_ALLOWED_REDIRECT_HOSTS: [] };

/** The policy's verdict: undefined when allowed, else the OAuth error code. */
function verdict(metadata: Record<string, unknown>, config = strictConfig) {
  try {
    checkRedirectPolicy({ client_id: "registered-client", ...metadata }, config);
    return undefined;
  } catch (error) {
    return (error as { error: string }).error;
  }
}

describe("the redirect policy", () => {
  it("holds every URI kind to https, loopback http, or a native app's scheme", () => {
    const cases: [string, Record<string, unknown>, string | undefined][] = [
      ["https anywhere", { redirect_uris: ["https://anywhere.example/cb"] }, undefined],
      ["loopback http", { redirect_uris: ["http://127.0.0.1:5000/cb", "http://localhost/cb"] }, undefined],
      ["http off loopback", { redirect_uris: ["http://anywhere.example/cb"] }, "invalid_redirect_uri"],
      ["web app private-use scheme", { redirect_uris: ["com.example.app:/cb"] }, "invalid_redirect_uri"],
      ["native private-use scheme", { redirect_uris: ["com.example.app:/cb"], application_type: "native" }, undefined],
      [
        "javascript, even native",
        { redirect_uris: ["javascript:alert(1)"], application_type: "native" },
        "invalid_redirect_uri",
      ],
      ["post-logout http", { post_logout_redirect_uris: ["http://anywhere.example/"] }, "invalid_client_metadata"],
      ["post-logout data:", { post_logout_redirect_uris: ["data:text/html,x"] }, "invalid_client_metadata"],
      ["post-logout https", { post_logout_redirect_uris: ["https://anywhere.example/"] }, undefined],
    ];
    for (const [name, metadata, expected] of cases) expect(verdict(metadata, openConfig), name).toBe(expected);
  });

  it("applies DCR_ALLOWED_REDIRECT_HOSTS to https hosts and to private-use schemes (reverse domain names)", () => {
    const native = (uri: string) => ({ redirect_uris: [uri], application_type: "native" });
    const cases: [string, Record<string, unknown>, string | undefined][] = [
      ["listed host", { redirect_uris: ["https://claude.ai/api/mcp/auth_callback"] }, undefined],
      ["unlisted host", { redirect_uris: ["https://evil.example/cb"] }, "invalid_redirect_uri"],
      ["subdomain of a listed host", { redirect_uris: ["https://app.example.com/cb"] }, "invalid_redirect_uri"],
      ["loopback stays allowed", { redirect_uris: ["http://127.0.0.1:1/cb"] }, undefined],
      ["scheme under a listed host", native("com.example.app:/callback"), undefined],
      ["scheme of a listed host", native("ai.claude:/callback"), undefined],
      ["scheme of another domain", native("com.evil.app:/callback"), "invalid_redirect_uri"],
      ["scheme that names no domain", native("myapp:/callback"), "invalid_redirect_uri"],
      ["look-alike scheme", native("com.notexample:/callback"), "invalid_redirect_uri"],
      [
        "post-logout unlisted host",
        { post_logout_redirect_uris: ["https://evil.example/"] },
        "invalid_client_metadata",
      ],
      ["post-logout listed host", { post_logout_redirect_uris: ["https://claude.ai/"] }, undefined],
    ];
    for (const [name, metadata, expected] of cases) expect(verdict(metadata), name).toBe(expected);
  });

  it("does not hold the operator's own clients to the list, only to the rest of the policy", () => {
    const chatgpt = {
      client_id: "chatgpt-odoo-mcp",
      redirect_uris: ["https://chatgpt.com/connector_platform_oauth_redirect"],
    };
    expect(verdict(chatgpt)).toBeUndefined();
    expect(verdict({ ...chatgpt, redirect_uris: ["http://chatgpt.com/cb"] })).toBe("invalid_redirect_uri");
    expect(verdict({ client_id: "mcp", redirect_uris: [] })).toBeUndefined();
  });
});

describe("with DCR_ALLOWED_REDIRECT_HOSTS on a running server", () => {
  it("refuses registrations of native apps whose scheme names another domain", async () => {
    const h = await startAuth({ env: { DCR_ALLOWED_REDIRECT_HOSTS: "example.com" } });
    try {
      const register = async (uri: string) =>
        (
          await fetch(`${h.url}/oauth/register`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              redirect_uris: [uri],
              application_type: "native",
              token_endpoint_auth_method: "none",
            }),
          })
        ).status;
      expect(await register("com.example.app:/callback")).toBe(201);
      expect(await register("com.evil.app:/callback")).toBe(400);
      expect(await register("evil:/callback")).toBe(400);
    } finally {
      await h.close();
    }
  });

  it("applies the list to Client ID Metadata Documents, their post-logout URIs included", async () => {
    const documents = new Map<string, unknown>();
    const fakeFetch: typeof fetch = async (input) => {
      const document = documents.get(String(input instanceof Request ? input.url : input));
      return document
        ? new Response(JSON.stringify(document), { status: 200, headers: { "content-type": "application/json" } })
        : new Response("not found", { status: 404 });
    };
    const listed = "https://tools.example.com/client.json";
    const unlisted = "https://mcp-client.evil.example/client.json";
    const sneaky = "https://tools.example.com/sneaky.json";
    documents.set(listed, {
      client_id: listed,
      redirect_uris: ["https://example.com/cb"],
      token_endpoint_auth_method: "none",
    });
    documents.set(unlisted, {
      client_id: unlisted,
      redirect_uris: ["https://mcp-client.evil.example/cb"],
      token_endpoint_auth_method: "none",
    });
    documents.set(sneaky, {
      client_id: sneaky,
      redirect_uris: ["https://example.com/cb"],
      post_logout_redirect_uris: ["https://evil.example/"],
      token_endpoint_auth_method: "none",
    });
    const h = await startAuth({ env: { DCR_ALLOWED_REDIRECT_HOSTS: "example.com" }, metadataDocumentFetch: fakeFetch });
    try {
      const authorize = async (clientId: string, redirectUri: string) => {
        const url = new URL(`${h.url}/oauth/authorize`);
        url.search = new URLSearchParams({
          client_id: clientId,
          response_type: "code",
          redirect_uri: redirectUri,
          code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
          code_challenge_method: "S256",
          scope: "odoo:read",
        }).toString();
        const response = await fetch(url, { redirect: "manual" });
        return { status: response.status, text: await response.text() };
      };
      expect((await authorize(listed, "https://example.com/cb")).status).toBe(303);
      const refused = await authorize(unlisted, "https://mcp-client.evil.example/cb");
      expect(refused.status).toBe(400);
      expect(refused.text).toContain("is not allowed on this server");
      const sneakyRefused = await authorize(sneaky, "https://example.com/cb");
      expect(sneakyRefused.status).toBe(400);
      expect(sneakyRefused.text).toContain("post_logout_redirect_uris");
    } finally {
      await h.close();
    }
  });

  it("applies the list to clients registered before it was set; ChatGPT's client keeps working", async () => {
    const sqlitePath = tempSqlitePath();
    const sim = await startOdooSim();
    const open = await startAuth({ sqlitePath, sim });
    const registered = (await (
      await fetch(`${open.url}/oauth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          redirect_uris: ["https://evil.example/cb"],
          post_logout_redirect_uris: ["https://evil.example/out"],
          token_endpoint_auth_method: "none",
        }),
      })
    ).json()) as { client_id: string };
    const secret = open.auth.created.chatgptSecret as string;
    await open.close();

    const strict = await startAuth({ sqlitePath, sim, env: { DCR_ALLOWED_REDIRECT_HOSTS: "claude.ai" } });
    try {
      const url = new URL(`${strict.url}/oauth/authorize`);
      url.search = new URLSearchParams({
        client_id: registered.client_id,
        response_type: "code",
        redirect_uri: "https://evil.example/cb",
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        code_challenge_method: "S256",
        scope: "odoo:read",
      }).toString();
      const authorization = await fetch(url, { redirect: "manual" });
      expect(authorization.status).toBe(400);
      expect(authorization.headers.get("location")).toBeNull();
      const logout = await fetch(
        `${strict.url}/oauth/logout?${new URLSearchParams({
          client_id: registered.client_id,
          post_logout_redirect_uri: "https://evil.example/out",
        })}`,
        { redirect: "manual" },
      );
      expect(logout.status).toBe(400);
      expect(await logout.text()).not.toMatch(/<script/i);

      const config = await chatgptClient(strict.url, secret);
      expect((await exchange(config, await codeFlow(config))).access_token).toBeTruthy();
    } finally {
      await strict.close();
      await sim.close();
    }
  });
});
