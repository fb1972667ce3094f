/**
 * Step-up (MCP authorization, "Scope challenge handling"): a person who allowed reading only can allow
 * changes later, from the chat client. The write tools are listed to their read-only token, a call is
 * refused before it runs with a challenge naming the scopes to ask for, and real clients act on it: the
 * SDK v2 client re-authorizes with those scopes and the call then runs; the SDK v1 client starts the same
 * authorization; ChatGPT gets the challenge in the tool-result form the OpenAI Apps SDK documents.
 */
import {
  Client as ClientV2,
  type OAuthClientProvider,
  StreamableHTTPClientTransport as TransportV2,
  UnauthorizedError as UnauthorizedV2,
} from "@modelcontextprotocol/client";
import { UnauthorizedError as UnauthorizedV1 } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as TransportV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { FormBrowser } from "@odoo-mcp/testkit/browser";
import { AppOAuthProvider } from "@odoo-mcp/testkit/mcp-oauth-client";
import { type Stack, startStack, structured, toolError } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountPage } from "../src/mcp/step-up.js";

let stack: Stack;
let readOnly: string;
beforeAll(async () => {
  stack = await startStack();
  readOnly = await stack.token("admin", "admin", "odoo:read");
});
afterAll(() => stack.close());

const WRITE_TOOLS = ["odoo_create_record", "odoo_update_record", "odoo_delete_record", "odoo_call_method"];
const CALLBACK = "http://127.0.0.1:9/callback"; // never fetched: the browser stops at the redirect
const metadataUrl = () => `${new URL(stack.mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`;

const createCall = (name: string, meta?: Record<string, unknown>) => ({
  jsonrpc: "2.0",
  id: 7,
  method: "tools/call",
  params: {
    name: "odoo_create_record",
    arguments: { model: "res.partner", values: { name } },
    ...(meta && { _meta: meta }),
  },
});
const post = (token: string, body: unknown) =>
  fetch(stack.mcpUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify(body),
  });
/** What ChatGPT puts in a call's `_meta` (OpenAI Apps SDK: client-provided hints). */
const CHATGPT_META = { "openai/locale": "es-ES", "openai/userAgent": "Mozilla/5.0", "openai/userLocation": {} };

/** How many partners bear this name, read with a token that may read. */
async function partnersNamed(name: string): Promise<number> {
  const client = await stack.connect(readOnly);
  const result = structured(
    await client.callTool({
      name: "odoo_count_records",
      arguments: { model: "res.partner", domain: [["name", "=", name]] },
    }),
  );
  return result.count as number;
}

/** The person's browser at the authorization URL: signs in if asked and allows what is offered. */
async function personAllows(browser: FormBrowser, url: URL) {
  const outcome = await browser.authorize(url, CALLBACK);
  if (!outcome.callback.searchParams.get("code")) throw new Error(`no code: ${outcome.callback.href}`);
  return { callback: outcome.callback.searchParams, pages: outcome.pages };
}

describe("a read-only token of a person Odoo lets write", () => {
  it("is listed the write tools, each saying how to allow changes and declaring the scope it needs", async () => {
    const { tools } = await (await stack.connect(readOnly)).listTools();
    const account = accountPage(stack.auth.url);
    for (const name of WRITE_TOOLS) {
      const tool = tools.find((each) => each.name === name);
      expect(tool, name).toBeDefined();
      expect(tool?.description).toContain("Needs permission to change Odoo data (odoo:write)");
      expect(tool?.description).toContain(account);
      expect(tool?._meta?.securitySchemes).toEqual([{ type: "oauth2", scopes: ["odoo:write"] }]);
    }
    const read = tools.find((each) => each.name === "odoo_search_read_records");
    expect(read?.description).not.toContain("Needs permission");
  });

  it("calling one answers 403 insufficient_scope naming both scopes and the metadata; nothing runs", async () => {
    const response = await post(readOnly, createCall("Step-up 403"));
    expect(response.status).toBe(403);
    const account = accountPage(stack.auth.url);
    const description = `Changing Odoo data needs the odoo:write permission, which this connection was not given: allow changes when your app asks you to connect again, or at ${account}.`;
    expect(response.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${metadataUrl()}", scope="odoo:read odoo:write", error="insufficient_scope", error_description="${description}"`,
    );
    expect(await response.json()).toEqual({
      error: "insufficient_scope",
      error_description: description,
      scope: "odoo:read odoo:write",
    });
    expect(await partnersNamed("Step-up 403")).toBe(0);
  });

  it("ChatGPT (its openai/ _meta) gets the same challenge as a tool error in _meta mcp/www_authenticate", async () => {
    const response = await post(readOnly, createCall("Step-up ChatGPT", CHATGPT_META));
    expect(response.status).toBe(200);
    const { result, id } = (await response.json()) as {
      id: number;
      result: { isError: boolean; content: { text: string }[]; _meta: Record<string, string[]> };
    };
    expect(id).toBe(7);
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toContain(accountPage(stack.auth.url));
    const [challenge] = result._meta["mcp/www_authenticate"] ?? [];
    expect(challenge).toMatch(
      new RegExp(
        `^Bearer resource_metadata="${metadataUrl()}", scope="odoo:read odoo:write", error="insufficient_scope", error_description="[^"]+"$`,
      ),
    );
    expect(await partnersNamed("Step-up ChatGPT")).toBe(0);
  });

  it("the SDK v2 client steps up: it asks for reading and changing, the person allows, the call runs", async () => {
    const app = new AppOAuthProvider(CALLBACK, { clientName: "Step-up test app" });
    const browser = new FormBrowser();
    const url = new URL(stack.mcpUrl);
    // The app connects for the first time and asks for reading only; the person allows it.
    const first = new ClientV2({ name: "step-up-v2", version: "1.0.0" });
    await expect(first.connect(new TransportV2(url, { authProvider: app as OAuthClientProvider }))).rejects.toThrow(
      UnauthorizedV2,
    );
    const initial = app.authorizationUrls.at(-1) as URL;
    initial.searchParams.set("scope", "odoo:read");
    const transport = new TransportV2(url, { authProvider: app as OAuthClientProvider });
    await transport.finishAuth((await personAllows(browser, initial)).callback);
    expect(app.saved?.scope).toBe("odoo:read");
    const client = new ClientV2({ name: "step-up-v2", version: "1.0.0" });
    await client.connect(transport);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(WRITE_TOOLS));

    // A change: 403 insufficient_scope, and the SDK sends the person to authorize both scopes.
    const call = { name: "odoo_create_record", arguments: { model: "res.partner", values: { name: "Stepped up" } } };
    await expect(client.callTool(call)).rejects.toThrow(UnauthorizedV2);
    const stepUp = app.authorizationUrls.at(-1) as URL;
    expect(stepUp).not.toBe(initial);
    expect(stepUp.searchParams.get("scope")?.split(" ")).toEqual(expect.arrayContaining(["odoo:read", "odoo:write"]));
    expect(stepUp.searchParams.get("resource")).toBe(stack.mcpUrl);
    expect(await partnersNamed("Stepped up")).toBe(0);

    // The person, still signed in, allows changes; the app finishes and calls again.
    const { callback, pages } = await personAllows(browser, stepUp);
    expect(pages.map((page) => page.kind)).toEqual(["consent"]);
    await transport.finishAuth(callback);
    expect(app.saved?.scope?.split(" ")).toContain("odoo:write");
    expect(structured(await client.callTool(call))).toMatchObject({ model: "res.partner", created: true });
    expect(await partnersNamed("Stepped up")).toBe(1);
    await client.close();
  });

  it("the SDK v1 client's step-up path fires: it starts an authorization for both scopes", async () => {
    // Holding no refresh token: with one, SDK v1 refreshes first and the refreshed token is read-only again.
    const app = new AppOAuthProvider(CALLBACK);
    app.client = { client_id: "chatgpt-odoo-mcp" };
    app.saved = { access_token: readOnly, token_type: "Bearer", scope: "odoo:read" };
    const client = new ClientV1({ name: "step-up-v1", version: "1.0.0" });
    await client.connect(new TransportV1(new URL(stack.mcpUrl), { authProvider: app }));
    const error = await client
      .callTool({ name: "odoo_delete_record", arguments: { model: "res.partner", ids: [1] } })
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UnauthorizedV1);
    const stepUp = app.authorizationUrls.at(-1) as URL;
    expect(stepUp.origin).toBe(new URL(stack.auth.url).origin);
    expect(stepUp.searchParams.get("scope")).toBe("odoo:read odoo:write");
    expect(stepUp.searchParams.get("resource")).toBe(stack.mcpUrl);
    await client.close();
  });
});

describe("a person Odoo does not let write", () => {
  it("is not listed the write tools, and a call says why in both forms, with no challenge", async () => {
    const demo = await stack.token("demo", "demo");
    const names = (await (await stack.connect(demo)).listTools()).tools.map((tool) => tool.name);
    for (const name of WRITE_TOOLS) expect(names).not.toContain(name);
    for (const meta of [undefined, CHATGPT_META]) {
      const response = await post(demo, createCall("Never", meta));
      expect(response.status).toBe(200);
      expect(response.headers.get("www-authenticate")).toBeNull();
      const { result } = (await response.json()) as { result: { _meta?: unknown } };
      expect(toolError(result)).toMatch(/may not change data.*read-only/);
      expect(result._meta).toBeUndefined();
    }
  });
});
