/** Faults and abuse beyond the per-package tests: a store locked by another process, oversized bodies. */

import { connectorTokens, startTestSystem, type TestSystem } from "@odoo-mcp/testkit/system";
import Database from "better-sqlite3";
import * as oauth from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let system: TestSystem;
let config: oauth.Configuration;
let tokens: { access_token: string; refresh_token?: string };

beforeAll(async () => {
  system = await startTestSystem();
  ({ config, tokens } = await connectorTokens(system));
});
afterAll(() => system?.close());

describe("the SQLite file locked by another process", () => {
  it("answers 503 at /health and a standard error at the token endpoint, then recovers with nothing lost", async () => {
    const intruder = new Database(system.sqlitePath);
    intruder.pragma("busy_timeout = 0");
    intruder.exec("BEGIN EXCLUSIVE");
    try {
      const health = await fetch(`${system.issuer}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: "error", storage: { kind: "sqlite", status: "error" } });
      const refresh = await fetch(`${system.issuer}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: tokens.refresh_token as string,
          client_id: "chatgpt-odoo-mcp",
          client_secret: system.chatgpt.clientSecret,
        }),
      });
      // The store cannot be written: RFC 6749's server_error, without details.
      expect(refresh.status).toBe(500);
      expect(await refresh.json()).toMatchObject({ error: "server_error" });
    } finally {
      intruder.exec("ROLLBACK");
      intruder.close();
    }
    expect((await fetch(`${system.issuer}/health`)).status).toBe(200);
    // The refresh that failed under the lock changed nothing: the same refresh token still works.
    const refreshed = await oauth.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.access_token).toBeTruthy();
    const integrity = new Database(system.sqlitePath, { readonly: true });
    expect(integrity.pragma("integrity_check", { simple: true })).toBe("ok");
    integrity.close();
  }, 60_000);
});

describe("request bodies", () => {
  it("are capped on both servers with a standard error, not a crash", async () => {
    const huge = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/list",
      params: { padding: "x".repeat(2 * 1024 * 1024) },
    });
    const mcp = await fetch(system.mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.access_token}`,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: huge,
    });
    expect(mcp.status).toBe(413);
    expect(await mcp.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 } });
    const form = await fetch(`${system.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=authorization_code&code=${"x".repeat(100_000)}`,
    });
    expect(form.status).toBe(400);
    expect(await form.json()).toMatchObject({ error: "invalid_request" });
    const json = await fetch(`${system.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: "x".repeat(100_000) }),
    });
    expect(json.status).toBe(400);
  });
});
