import { type AuthHarness, startAuth } from "@odoo-mcp/testkit/auth";
import { client, codeFlow, discover, exchange } from "@odoo-mcp/testkit/oauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLIENT_ID = "https://mcp-client.example.com/oauth/client.json";
const REDIRECT = "https://mcp-client.example.com/oauth/callback";
let documents: Map<string, unknown>;
let fetched = 0;

/**
 * The metadata document host, served from memory. In production oidc-provider fetches with its own
 * SSRF-protected dispatcher; the tests replace only the network hop.
 */
const fakeFetch: typeof fetch = async (input) => {
  fetched++;
  const url = String(input instanceof Request ? input.url : input);
  const document = documents.get(url);
  if (!document) return new Response("not found", { status: 404 });
  return new Response(JSON.stringify(document), {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "max-age=300" },
  });
};

let h: AuthHarness;
beforeAll(async () => {
  documents = new Map();
  h = await startAuth({ metadataDocumentFetch: fakeFetch });
});
afterAll(() => h.close());

describe("Client ID Metadata Documents", () => {
  it("uses an https client_id's document: its redirect URIs apply and the flow completes", async () => {
    documents.set(CLIENT_ID, {
      client_id: CLIENT_ID,
      client_name: "Example MCP Client",
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    });
    const config = await discover(h.url, CLIENT_ID);
    const flow = await codeFlow(config, { redirectUri: REDIRECT, extra: { prompt: "consent" } });
    expect(flow.pages.find((page) => page.kind === "consent")?.html).toContain("Example MCP Client");
    const tokens = await exchange(config, flow);
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();
    const before = fetched;
    await client.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(fetched).toBe(before);
  });

  it("refuses a document whose client_id differs from its URL, or a redirect URI it does not list", async () => {
    const liar = "https://mcp-client.example.com/oauth/liar.json";
    documents.set(liar, {
      client_id: "https://someone-else.example/x.json",
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: "none",
    });
    const url = new URL(`${h.url}/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: liar,
      response_type: "code",
      redirect_uri: REDIRECT,
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
      scope: "odoo:read",
    }).toString();
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("invalid_client");

    url.searchParams.set("client_id", CLIENT_ID);
    url.searchParams.set("redirect_uri", "https://attacker.example/cb");
    const wrongRedirect = await fetch(url, { redirect: "manual" });
    expect(wrongRedirect.status).toBe(400);
  });
});

describe("SSRF protection of the real fetch", () => {
  it("does not fetch documents from loopback or private addresses", async () => {
    const real = await startAuth({ sim: h.sim });
    try {
      const url = new URL(`${real.url}/oauth/authorize`);
      url.search = new URLSearchParams({
        client_id: "https://127.0.0.1:9/client.json",
        response_type: "code",
        redirect_uri: "https://127.0.0.1:9/cb",
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        code_challenge_method: "S256",
        scope: "odoo:read",
      }).toString();
      const response = await fetch(url, { redirect: "manual" });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("invalid_client");
    } finally {
      await real.close();
    }
  });
});
