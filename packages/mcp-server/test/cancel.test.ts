/**
 * A request cancelled in its own batch (notifications/cancelled) used to get no response at all, so the
 * POST hung and held its socket: every POST must now be answered, and within the handler's deadline.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ErrorCode } from "@modelcontextprotocol/sdk/types.js";
import { createOdooClient } from "@odoo-mcp/odoo-client";
import { createLogger } from "@odoo-mcp/shared";
import { type Stack, startStack } from "@odoo-mcp/testkit/stack";
import Koa from "koa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpHandler } from "../src/mcp/http.js";
import { FieldCatalog } from "../src/odoo/fields.js";
import { createModelPolicy } from "../src/odoo/model-policy.js";
import type { Caller } from "../src/tools/index.js";

const count = { name: "odoo_count_records", arguments: { model: "res.country" } };
const cancelledBatch = [
  { jsonrpc: "2.0", id: 1, method: "tools/call", params: count },
  { jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1, reason: "changed my mind" } },
];

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** One POST on its own connection, closed once answered; fails after 5 s instead of hanging the test. */
function post(url: string, body: unknown, token?: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      {
        method: "POST",
        agent: false,
        timeout: 5000,
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          connection: "close",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    sent.on("timeout", () => sent.destroy(new Error("no answer within 5 s")));
    sent.on("error", reject);
    sent.end(JSON.stringify(body));
  });
}

const connections = (server: Server) =>
  new Promise<number>((resolve, reject) =>
    server.getConnections((error, open) => (error ? reject(error) : resolve(open))),
  );

describe("a request cancelled in its own batch", () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack();
    token = await stack.token();
  });
  afterAll(() => stack.close());

  it("is answered at once with an error for its id", async () => {
    const started = Date.now();
    const { status, body } = await post(stack.mcpUrl, cancelledBatch, token);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(status).toBe(200);
    expect(body).toEqual([
      { jsonrpc: "2.0", id: 1, error: { code: ErrorCode.InternalError, message: expect.stringMatching(/cancelled/) } },
    ]);
    // The server still answers the next request normally.
    const client = await stack.connect(token);
    expect(await client.callTool(count)).toMatchObject({ structuredContent: { count: 12 } });
  });

  it("cannot hold sockets open: 50 such POSTs at once are all answered and every connection closes", async () => {
    // The same app on a server of the test's own, so its open connections can be counted.
    const server = createServer(stack.mcp.app.callback());
    const url = `${await listen(server)}/mcp`;
    try {
      const answers = await Promise.all(Array.from({ length: 50 }, () => post(url, cancelledBatch, token)));
      for (const { status, body } of answers) {
        expect(status).toBe(200);
        expect(body).toMatchObject([{ id: 1, error: { code: ErrorCode.InternalError } }]);
      }
      await expect.poll(() => connections(server), { timeout: 2000 }).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("a request whose handler never finishes", () => {
  it("is answered with a timeout error once the deadline passes", async () => {
    const hanging = createServer(() => {
      /* an Odoo that never answers */
    });
    const odooUrl = await listen(hanging);
    // Odoo's own timeout is far away: only the handler's deadline can end this request.
    const odoo = createOdooClient({
      url: odooUrl,
      db: "demo",
      username: "admin",
      secret: "admin",
      timeoutMs: 60_000,
      rejectedMessage: "refused",
      protocol: "xmlrpc",
    });
    const caller: Caller = { sub: "2", clientId: "test", scopes: new Set(["odoo:read"]) };
    const app = new Koa();
    app.use((ctx, next) => {
      ctx.state.caller = caller;
      return next();
    });
    app.use(
      mcpHandler({
        deadlineMs: 500,
        resourceMetadataUrl: "http://127.0.0.1:1/.well-known/oauth-protected-resource",
        accountUrl: "http://127.0.0.1:1/account",
        contextFor: async (caller) => ({
          odoo,
          fields: new FieldCatalog(odoo),
          policy: createModelPolicy([], []),
          limits: { defaultLimit: 20, maxRecords: 100 },
          webUrl: odooUrl,
          accountUrl: "http://127.0.0.1:1/account",
          searchModels: [],
          allowedMethods: new Set(),
          defaultContext: {},
          caller,
          logger: createLogger({ name: "cancel-test", level: "silent" }),
          adaptations: [],
        }),
      }),
    );
    const server = createServer(app.callback());
    const url = await listen(server);
    try {
      const started = Date.now();
      const { status, body } = await post(url, { jsonrpc: "2.0", id: 7, method: "tools/call", params: count });
      const elapsed = Date.now() - started;
      expect(status).toBe(200);
      expect(body).toEqual({
        jsonrpc: "2.0",
        id: 7,
        error: { code: ErrorCode.RequestTimeout, message: expect.stringMatching(/0\.5 s/) },
      });
      expect(elapsed).toBeGreaterThanOrEqual(450);
      expect(elapsed).toBeLessThan(2500);
      await expect.poll(() => connections(server), { timeout: 2000 }).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      // Ends the Odoo call still waiting, so the tool handler finishes too.
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });
});
