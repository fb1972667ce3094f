import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DEMO_USERS } from "@odoo-mcp/odoo-sim";
import { ADMIN_TOKEN } from "@odoo-mcp/testkit/auth";
import { chatgptClient, codeFlow, exchange, client as oauth } from "@odoo-mcp/testkit/oauth";
import { type Stack, startStack, structured, toolError } from "@odoo-mcp/testkit/stack";
import { exportJWK, generateKeyPair } from "jose";
import Odoo from "odoo-await";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let stack: Stack;
const demoApiKey = DEMO_USERS.find((user) => user.login === "demo")?.apiKey as string;

beforeAll(async () => {
  const { privateKey } = await generateKeyPair("ECDH-ES+A256KW", { crv: "P-256", extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "test-enc" };
  stack = await startStack({
    authEnv: { ODOO_AUTH_MODE: "user", REFRESH_TOKEN_REUSE_GRACE: "0" },
    mcpEnv: { ODOO_AUTH_MODE: "user", MCP_ENCRYPTION_KEY: JSON.stringify(jwk) },
  });
});
afterAll(() => stack.close());

const create = (client: Awaited<ReturnType<Stack["connect"]>>, name: string) =>
  client.callTool({ name: "odoo_create_record", arguments: { model: "res.partner", values: { name } } });

describe("ODOO_AUTH_MODE=user: every call runs as the person who signed in", () => {
  it("publishes only the public half of the encryption key", async () => {
    const { keys } = (await (await fetch(`${new URL(stack.mcpUrl).origin}/.well-known/jwks.json`)).json()) as {
      keys: Record<string, string>[];
    };
    expect(keys).toEqual([
      {
        kty: "EC",
        crv: "P-256",
        x: expect.any(String),
        y: expect.any(String),
        kid: "test-enc",
        use: "enc",
        alg: "ECDH-ES+A256KW",
      },
    ]);
  });

  it("lets Odoo refuse a read-only user's create even with an odoo:write token; the admin creates", async () => {
    const [admin, demo] = await Promise.all([
      stack.connect(await stack.token()),
      stack.connect(await stack.token("demo", demoApiKey)),
    ]);
    expect((await demo.listTools()).tools.map((tool) => tool.name)).toContain("odoo_create_record");
    // Both at once, each with their own Odoo identity.
    const [byAdmin, byDemo] = await Promise.all([create(admin, "Created by admin"), create(demo, "Created by demo")]);
    const { id } = structured(byAdmin) as { id: number };
    expect(toolError(byDemo)).toMatch(
      /^Odoo refused the operation \(access rights\): You are not allowed to create 'Contact' \(res\.partner\) records\./,
    );
    const [record] = structured(
      await admin.callTool({
        name: "odoo_read_records",
        arguments: { model: "res.partner", ids: id, fields: ["create_uid"] },
      }),
    ).records as {
      create_uid: [number, string];
    }[];
    expect(record?.create_uid).toEqual([2, "Mitchell Admin"]);
    expect(
      structured(await demo.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } })),
    ).toEqual({ model: "res.country", count: 12 });
  });

  it("renders a report through the person's own web session, as a link only they (or no bearer) may open", async () => {
    const [admin, demo] = await Promise.all([
      stack.connect(await stack.token()),
      stack.connect(await stack.token("demo", "demo")),
    ]);
    const report = structured(
      await demo.callTool({ name: "odoo_get_report", arguments: { model: "sale.order", ids: [1] } }),
    ) as { download_url: string };
    const name = stack.sim.database.requireModel("sale.order").rows.get(1)?.name as string;
    const opened = await fetch(report.download_url);
    expect(opened.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await opened.arrayBuffer()).toString("latin1")).toContain(`(${name})`);
    const adminToken = await stack.token();
    const borrowed = await fetch(report.download_url, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(borrowed.status).toBe(403);
    // The admin's own link is another link.
    const own = structured(
      await admin.callTool({ name: "odoo_get_report", arguments: { model: "sale.order", ids: [1] } }),
    ) as { download_url: string };
    expect(own.download_url).not.toBe(report.download_url);
  });

  it("never keeps the password or API key in plaintext, nor logs it", async () => {
    await stack.connect(await stack.token("demo", demoApiKey));
    const sqlite = stack.auth.config.AUTH_SQLITE_PATH;
    for (const file of readdirSync(dirname(sqlite)).filter((name) => name.startsWith("auth.sqlite"))) {
      expect(readFileSync(join(dirname(sqlite), file)).includes(demoApiKey), file).toBe(false);
    }
    expect(stack.logText()).not.toContain(demoApiKey);
    expect(stack.auth.logText()).not.toContain(demoApiKey);
    const sealed = await stack.auth.storage.list("OdooCredential");
    expect(sealed.length).toBeGreaterThan(0);
    for (const entry of sealed) expect(String(entry.sealed).split(".")).toHaveLength(5);
  });

  it("asks to sign in again when the Odoo password changes: a tool error, then 401 invalid_token", async () => {
    const token = await stack.token("demo", "demo");
    const client = await stack.connect(token);
    const count = () => client.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } });
    expect(structured(await count()).count).toBe(12);
    const odoo = new Odoo({ baseUrl: stack.sim.url, db: "demo", username: "demo", password: "demo" });
    await odoo.connect();
    await odoo.execute_kw("res.users", "change_password", [["demo", "changed-password"]]);
    try {
      expect(toolError(await count())).toContain("sign in again");
      const response = await fetch(stack.mcpUrl, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(
        /error="invalid_token", error_description="Sign-in to Odoo failed: [^"]*sign in again/,
      );
    } finally {
      const back = new Odoo({ baseUrl: stack.sim.url, db: "demo", username: "demo", password: "changed-password" });
      await back.connect();
      await back.execute_kw("res.users", "change_password", [["changed-password", "demo"]]);
    }
  });

  it("removes the sealed credentials when a replayed refresh token revokes the grant", async () => {
    const config = await chatgptClient(stack.auth.url, await stack.auth.chatgptSecret());
    const tokens = await exchange(
      config,
      await codeFlow(config, { login: "demo", password: "demo", resource: stack.mcpUrl }),
    );
    const count = async () =>
      (await stack.auth.storage.list("OdooCredential")).filter((entry) => entry.accountId === "demo:3").length;
    expect(await count()).toBe(1);
    await oauth.refreshTokenGrant(config, tokens.refresh_token as string);
    await expect(oauth.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: "invalid_grant",
    });
    expect(await count()).toBe(0);
  });

  it("keeps the person's sealed credentials when they sign out: sign-out ends the browser session, not the apps", async () => {
    const config = await chatgptClient(stack.auth.url, await stack.auth.chatgptSecret());
    const flow = await codeFlow(config, { login: "demo", password: "demo", resource: stack.mcpUrl });
    await exchange(config, flow);
    const count = async () =>
      (await stack.auth.storage.list("OdooCredential")).filter((entry) => entry.accountId === "demo:3").length;
    expect(await count()).toBe(1);
    // RP-initiated logout in the same browser: oidc-provider's confirmation form, submitted.
    const page = await (await flow.browser.request(`${stack.auth.url}/oauth/logout`)).text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] as string;
    const action = /action="([^"]+)"/.exec(page)?.[1] as string;
    const done = await flow.browser.postForm(new URL(action, stack.auth.url), { xsrf, logout: "yes" });
    expect(done.status).toBe(303);
    expect(await count()).toBe(1);
  });

  it("removes the sealed credentials with the grant", async () => {
    await stack.token("admin", "admin");
    const before = (await stack.auth.storage.list("OdooCredential")).filter((entry) => entry.accountId === "demo:2");
    expect(before.length).toBeGreaterThan(0);
    const revoke = await fetch(`${stack.auth.url}/oauth/tokens/revoke`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ sub: "demo:2" }),
    });
    expect(revoke.status).toBe(200);
    expect((await stack.auth.storage.list("OdooCredential")).filter((entry) => entry.accountId === "demo:2")).toEqual(
      [],
    );
  });
});
