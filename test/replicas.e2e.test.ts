/**
 * Two auth-server and two mcp-server processes on one shared store, as behind load balancers: a grant
 * made on one auth replica is used on the other, revocation reaches both MCP replicas at once, an auth
 * replica dies without losing anything, and the store restarts under them.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OdooSim, startOdooSim } from "@odoo-mcp/odoo-sim";
import { SERVICE_ACCOUNT_WRITES } from "@odoo-mcp/testkit/auth";
import { FormBrowser } from "@odoo-mcp/testkit/browser";
import { freePort, type Service, startPostgres, startRedis } from "@odoo-mcp/testkit/services";
import * as oauth from "openid-client";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const ADMIN_TOKEN = "replica-admin-token-0123456789abcdef";
const MCP_CLIENT = {
  MCP_CLIENT_ID: "replica-mcp-client",
  MCP_CLIENT_SECRET: "replica-mcp-client-secret-0123456789abcdef",
};
const REDIRECT = "https://chatgpt.com/connector_platform_oauth_redirect";
const processes: ChildProcess[] = [];

function start(entry: string, env: Record<string, string>, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, entry)], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
  });
  processes.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(ready)) resolve(child);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${entry} exited with ${code}: ${output.slice(-500)}`)));
  });
}

afterAll(() => {
  for (const child of processes) child.kill("SIGKILL");
});

const until = async (check: () => Promise<boolean>, ms: number) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
};

describe.each([
  { name: "Redis", startStore: startRedis, variable: "REDIS_URL" },
  { name: "PostgreSQL", startStore: startPostgres, variable: "DATABASE_URL" },
])("two replicas of each server on $name", ({ startStore, variable }) => {
  it("share grants and tokens, revoke everywhere at once, survive a dead replica and a store restart", async () => {
    const store: Service = await startStore();
    const sim: OdooSim = await startOdooSim();
    try {
      const [auth1, auth2, mcp1, mcp2] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
      const issuer = `http://127.0.0.1:${auth1}`;
      const resource = `http://127.0.0.1:${mcp1}/mcp`;
      const common = {
        ...MCP_CLIENT,
        ...SERVICE_ACCOUNT_WRITES,
        [variable]: store.url,
        ODOO_URL: sim.url,
        MCP_RESOURCE_URL: resource,
        AUTH_ISSUER: issuer,
        ADMIN_TOKEN,
      };
      const dir = mkdtempSync(join(tmpdir(), "odoo-mcp-replicas-"));
      const authEnv = (port: number) => ({ ...common, AUTH_PORT: String(port), AUTH_HOST: "127.0.0.1", INIT_CWD: dir });
      const authProcesses = await Promise.all([
        start("packages/auth-server/src/main.ts", authEnv(auth1), "auth_server_started"),
        start("packages/auth-server/src/main.ts", authEnv(auth2), "auth_server_started"),
      ]);
      const mcpEnv = (port: number, authPort: number) => ({
        ...common,
        MCP_PORT: String(port),
        MCP_HOST: "127.0.0.1",
        AUTH_INTERNAL_URL: `http://127.0.0.1:${authPort}`,
        INTROSPECTION_CACHE_TTL: "60s",
      });
      await Promise.all([
        start("packages/mcp-server/src/main.ts", mcpEnv(mcp1, auth1), "revocation_channel_connected"),
        start("packages/mcp-server/src/main.ts", mcpEnv(mcp2, auth2), "revocation_channel_connected"),
      ]);

      // Authorize on auth #1, exchange the code on auth #2.
      // Only a hash of the secret is stored: a rotation shows a new one (to every replica at once).
      const credentials = (await (
        await fetch(`http://127.0.0.1:${auth2}/oauth/rotate-secret`, {
          method: "POST",
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
      ).json()) as {
        client_secret: string;
      };
      const verifier = oauth.randomPKCECodeVerifier();
      const authorize = new URL(`${issuer}/oauth/authorize`);
      authorize.search = new URLSearchParams({
        response_type: "code",
        client_id: "chatgpt-odoo-mcp",
        redirect_uri: REDIRECT,
        scope: "odoo:read odoo:write",
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
      }).toString();
      const { callback } = await new FormBrowser().authorize(authorize, REDIRECT, {
        login: "admin",
        password: "admin",
      });
      const token = async (port: number, body: Record<string, string>) => {
        const response = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            client_id: "chatgpt-odoo-mcp",
            client_secret: credentials.client_secret,
            ...body,
          }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, string> };
      };
      const first = await token(auth2, {
        grant_type: "authorization_code",
        code: callback.searchParams.get("code") as string,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      });
      expect(first.status).toBe(200);

      const call = async (port: number, accessToken: string) =>
        (
          await fetch(`http://127.0.0.1:${port}/mcp`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${accessToken}`,
              "content-type": "application/json",
              accept: "application/json",
            },
            body: JSON.stringify({
              jsonrpc: "2.0",
              id: 1,
              method: "tools/call",
              params: { name: "odoo_count_records", arguments: { model: "res.country" } },
            }),
          })
        ).status;
      expect(await call(mcp1, first.body.access_token as string)).toBe(200);
      expect(await call(mcp2, first.body.access_token as string)).toBe(200);

      // Refresh on #1, then revoke on #2: both MCP replicas refuse within a second (cache TTL is 60 s).
      const refreshed = await token(auth1, {
        grant_type: "refresh_token",
        refresh_token: first.body.refresh_token as string,
      });
      expect(refreshed.status).toBe(200);
      const access = refreshed.body.access_token as string;
      expect(await call(mcp1, access)).toBe(200);
      expect(await call(mcp2, access)).toBe(200);
      const revoked = await fetch(`http://127.0.0.1:${auth2}/oauth/revoke`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          token: access,
          client_id: "chatgpt-odoo-mcp",
          client_secret: credentials.client_secret,
        }),
      });
      expect(revoked.status).toBe(200);
      expect(
        await until(async () => (await call(mcp1, access)) === 401 && (await call(mcp2, access)) === 401, 1000),
      ).toBe(true);

      // A new grant; auth #1 dies; auth #2 goes on with everything #1 issued.
      const again = await new FormBrowser().authorize(authorize, REDIRECT, { login: "demo", password: "demo" });
      const second = await token(auth1, {
        grant_type: "authorization_code",
        code: again.callback.searchParams.get("code") as string,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      });
      expect(second.status).toBe(200);
      authProcesses[0]?.kill("SIGKILL");
      const afterDeath = await token(auth2, {
        grant_type: "refresh_token",
        refresh_token: second.body.refresh_token as string,
      });
      expect(afterDeath.status).toBe(200);
      expect(await call(mcp2, afterDeath.body.access_token as string)).toBe(200);

      // The store restarts: both servers reconnect and go on, nothing lost.
      await store.stop();
      await store.start();
      const afterRestart = await until(
        async () =>
          (
            await token(auth2, {
              grant_type: "refresh_token",
              refresh_token: afterDeath.body.refresh_token as string,
            }).catch(() => ({ status: 0 }))
          ).status === 200,
        15_000,
      );
      expect(afterRestart).toBe(true);
      expect(await until(async () => (await call(mcp2, afterDeath.body.access_token as string)) === 200, 15_000)).toBe(
        true,
      );
    } finally {
      for (const child of processes.splice(0)) child.kill("SIGKILL");
      await store.stop().catch(() => undefined);
      await sim.close();
    }
  }, 120_000);
});
