/**
 * Changes that wait for the person in hosts that render views (tools/confirm.ts): through the SDK's
 * clients, only a 2026-07-28 client declaring MCP Apps gets a pending change; the v1 client and a v2
 * client without the extension change Odoo at once, as before. And the confirmation tokens themselves:
 * bound to one person and one app, short-lived, single use.
 */
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type Stack, startStack } from "@odoo-mcp/testkit/stack";
import { CONFIRM_META_KEY, type ConfirmMeta } from "@odoo-mcp/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ViewSessions } from "../src/mcp/view-sessions.js";
import { CONFIRMATION_TTL_SECONDS, Confirmations } from "../src/tools/confirmations.js";
import { describeTool } from "../src/tools/index.js";
import { writeTools } from "../src/tools/write.js";

const UI = { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } };

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.token();
});
afterAll(() => stack.close());

const requestInit = () => ({ headers: { Authorization: `Bearer ${token}` } });

/** The SDK's v1 client (initialize era); with `extensions`, a host declaring MCP Apps in its initialize. */
async function legacyClient(extensions?: typeof UI) {
  const client = new Client(
    { name: extensions ? "legacy-host" : "plain-client", version: "1.0.0" },
    { capabilities: extensions ? { extensions } : {} },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { requestInit: requestInit() }));
  return client;
}

async function modernClient(extensions?: typeof UI) {
  const client = new ClientV2(
    { name: "modern-client", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } }, capabilities: extensions ? { extensions } : {} },
  );
  await client.connect(new TransportV2(new URL(stack.mcpUrl), { requestInit: requestInit() }));
  return client;
}

type AnyClient = Awaited<ReturnType<typeof legacyClient>> | Awaited<ReturnType<typeof modernClient>>;

async function newContact(client: AnyClient, name: string): Promise<number> {
  const created = await client.callTool({
    name: "odoo_create_record",
    arguments: { model: "res.partner", values: { name } },
  });
  return (created.structuredContent as { id: number }).id;
}

/** Whether the contact is still in Odoo, asked as any client would. */
async function exists(client: AnyClient, id: number): Promise<boolean> {
  const counted = await client.callTool({
    name: "odoo_count_records",
    arguments: { model: "res.partner", domain: [["id", "=", id]] },
  });
  return (counted.structuredContent as { count: number }).count === 1;
}

describe("who waits for the person", () => {
  it.each([
    ["the initialize-era client (SDK v1)", () => legacyClient()],
    ["a 2026-07-28 client without the extension (SDK v2)", () => modernClient()],
  ])("%s deletes at once, as before", async (_, connect) => {
    const client = await connect();
    try {
      const id = await newContact(client, "Gone at once");
      const result = await client.callTool({
        name: "odoo_delete_record",
        arguments: { model: "res.partner", ids: [id] },
      });
      expect(result.structuredContent).toEqual({ model: "res.partner", ids: [id], deleted: true });
      expect(result._meta?.[CONFIRM_META_KEY]).toBeUndefined();
      expect(await exists(client, id)).toBe(false);
    } finally {
      await client.close();
    }
  });

  it("a client that renders views gets a pending change, and Odoo is untouched until it is confirmed", async () => {
    const client = await modernClient(UI);
    try {
      const id = await newContact(client, "Waiting for you");
      const result = await client.callTool({
        name: "odoo_delete_record",
        arguments: { model: "res.partner", ids: [id] },
      });
      expect(result.structuredContent).toMatchObject({
        status: "awaiting_confirmation",
        action: "delete",
        records: [{ id, name: "Waiting for you" }],
      });
      expect(await exists(client, id)).toBe(true);
      const meta = result._meta?.[CONFIRM_META_KEY] as ConfirmMeta;
      const confirmed = await client.callTool({ name: "odoo_confirm_change", arguments: { confirmation: meta.token } });
      expect(confirmed.structuredContent).toMatchObject({ confirmed: true, outcome: { deleted: true, ids: [id] } });
      expect(await exists(client, id)).toBe(false);
    } finally {
      await client.close();
    }
  });

  it("an initialize-era host that declared the extension in initialize waits too: its session id says so", async () => {
    const plain = await legacyClient();
    const client = await legacyClient(UI);
    try {
      // Only the host that declared views gets a session id; every later request of its connection carries it.
      expect(plain.transport?.sessionId).toBeUndefined();
      expect(client.transport?.sessionId).toMatch(/^[\x21-\x7e]+$/);
      const id = await newContact(client, "Waiting in the old protocol");
      const result = await client.callTool({
        name: "odoo_delete_record",
        arguments: { model: "res.partner", ids: [id] },
      });
      expect(result.structuredContent).toMatchObject({ status: "awaiting_confirmation", records: [{ id }] });
      expect(await exists(client, id)).toBe(true);
      // The views are listed to it, as to a 2026-07-28 host that declared them.
      expect((await client.listResources()).resources.map((resource) => resource.uri)).toContain("ui://odoo/confirm");
      const meta = result._meta?.[CONFIRM_META_KEY] as ConfirmMeta;
      await client.callTool({ name: "odoo_confirm_change", arguments: { confirmation: meta.token } });
      expect(await exists(client, id)).toBe(false);
    } finally {
      await plain.close();
      await client.close();
    }
  });

  it("a session id the server did not make, or made for another app, changes nothing: the change happens at once", async () => {
    const host = await legacyClient(UI);
    const sessionId = host.transport?.sessionId as string;
    await host.close();
    const [body, signature] = sessionId.split(".");
    const payload = JSON.parse(Buffer.from(body as string, "base64url").toString("utf8"));
    const forged = `${Buffer.from(JSON.stringify({ ...payload, c: "another-app" })).toString("base64url")}.${signature}`;
    for (const made of [forged, "made-up-session"]) {
      const id = await newContact(await legacyClient(), "Not waiting");
      const response = await fetch(stack.mcpUrl, {
        method: "POST",
        headers: {
          ...requestInit().headers,
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
          "Mcp-Protocol-Version": "2025-06-18",
          "Mcp-Session-Id": made,
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "tools/call",
          params: { name: "odoo_delete_record", arguments: { model: "res.partner", ids: [id] } },
        }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { result: { structuredContent: unknown } }).result.structuredContent).toEqual({
        model: "res.partner",
        ids: [id],
        deleted: true,
      });
    }
  });

  it("the policy still applies before anything is pending: a refused method is refused at once", async () => {
    const client = await modernClient(UI);
    try {
      const result = await client.callTool({
        name: "odoo_call_method",
        arguments: { model: "stock.picking", method: "unlink", ids: [1] },
      });
      expect(result.isError).toBe(true);
      expect(result._meta?.[CONFIRM_META_KEY]).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it("the tools name the Confirm view, and the confirming tool is for views only", () => {
    const described = new Map(writeTools.map((tool) => [tool.name, describeTool(tool)]));
    expect(described.get("odoo_delete_record")?._meta).toMatchObject({ ui: { resourceUri: "ui://odoo/confirm" } });
    expect(described.get("odoo_call_method")?._meta).toMatchObject({ ui: { resourceUri: "ui://odoo/confirm" } });
    expect(described.get("odoo_confirm_change")?._meta).toMatchObject({
      ui: { visibility: ["app"] },
      "openai/visibility": "private",
    });
  });
});

describe("confirmation tokens", () => {
  const person = { sub: "db:7", clientId: "chatgpt-odoo-mcp", scopes: new Set(["odoo:write"]) };
  const change = { tool: "odoo_delete_record", args: { model: "res.partner", ids: [5] } };

  it("serve the person and app they were issued to, once", () => {
    const confirmations = new Confirmations("a shared secret of at least thirty-two characters");
    const { token: issued } = confirmations.issue(person, change);
    expect(confirmations.redeem({ ...person, sub: "db:8" }, issued)).toEqual({
      problem: "This confirmation is not valid; ask for the change again.",
    });
    expect(confirmations.redeem({ ...person, clientId: "another-app" }, issued)).toEqual({
      problem: "This confirmation is not valid; ask for the change again.",
    });
    expect(confirmations.redeem(person, issued)).toEqual({ change });
    expect(confirmations.redeem(person, issued)).toEqual({
      problem: "This change was already confirmed; it runs only once.",
    });
  });

  it("expire, and replicas sharing the secret accept each other's while others do not", () => {
    let now = Date.parse("2026-12-01T10:00:00Z");
    const confirmations = new Confirmations("a shared secret of at least thirty-two characters", () => now);
    const replica = new Confirmations("a shared secret of at least thirty-two characters", () => now);
    const stranger = new Confirmations("another secret, also thirty-two characters long", () => now);
    const first = confirmations.issue(person, change).token;
    expect(stranger.redeem(person, first)).toHaveProperty("problem");
    expect(replica.redeem(person, first)).toEqual({ change });
    const second = confirmations.issue(person, change).token;
    now += CONFIRMATION_TTL_SECONDS * 1000;
    expect(confirmations.redeem(person, second)).toEqual({
      problem: "This confirmation has expired; ask for the change again.",
    });
  });
});

describe("view session ids (initialize-era hosts that render views)", () => {
  const person = { sub: "db:7", clientId: "chatgpt-odoo-mcp", scopes: new Set(["odoo:write"]) };
  const secret = "a shared secret of at least thirty-two characters";

  it("are read by every replica sharing the secret, for the person and app they were made for only", () => {
    const made = new ViewSessions(secret).issue(person);
    const replica = new ViewSessions(secret);
    expect(replica.rendersViews(person, made)).toBe(true);
    expect(replica.rendersViews({ ...person, sub: "db:8" }, made)).toBe(false);
    expect(replica.rendersViews({ ...person, clientId: "another-app" }, made)).toBe(false);
    expect(new ViewSessions("another secret, also thirty-two characters long").rendersViews(person, made)).toBe(false);
    expect(replica.rendersViews(person, undefined)).toBe(false);
  });

  it("never pass for a confirmation or a download link, nor the other way round", () => {
    const session = new ViewSessions(secret).issue(person);
    expect(new Confirmations(secret).redeem(person, session)).toHaveProperty("problem");
    const { token } = new Confirmations(secret).issue(person, { tool: "odoo_delete_record", args: {} });
    expect(new ViewSessions(secret).rendersViews(person, token)).toBe(false);
  });
});
