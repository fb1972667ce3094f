import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ADMIN_TOKEN } from "@odoo-mcp/testkit/auth";
import { chatgptClient, codeFlow, exchange, client as oauth } from "@odoo-mcp/testkit/oauth";
import { odooTargets, type Stack, startStack, structured, toolError } from "@odoo-mcp/testkit/stack";
import { exportJWK, generateKeyPair } from "jose";
import Odoo from "odoo-await";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const create = (client: Awaited<ReturnType<Stack["connect"]>>, name: string) =>
  client.callTool({ name: "odoo_create_record", arguments: { model: "res.partner", values: { name } } });

/** One release over XML-RPC and one over JSON-2: each person's own credentials pick their protocol. */
describe.each(odooTargets(["17.0 over XML-RPC", "19.0 over JSON-2"]))(
  "ODOO_AUTH_MODE=user on $name: every call runs as the person who signed in",
  (target) => {
    let stack: Stack;
    /** The Sales and Inventory user: their login, password, API key, and their account id at the server. */
    let user: { login: string; password: string; apiKey: string };
    let userId: number;
    let userSub: string;
    let adminSub: string;
    let countries: number;

    beforeAll(async () => {
      const { privateKey } = await generateKeyPair("ECDH-ES+A256KW", { crv: "P-256", extractable: true });
      const jwk = { ...(await exportJWK(privateKey)), kid: "test-enc" };
      stack = await startStack({
        target,
        // Consent offers writing to people Odoo lets create composers (every internal user), so the clerk's
        // token can write and Odoo's own rights are what refuse their contacts.
        authEnv: {
          ODOO_AUTH_MODE: "user",
          REFRESH_TOKEN_REUSE_GRACE: "0",
          ODOO_WRITE_CHECK_MODEL: "mail.compose.message",
        },
        mcpEnv: { ODOO_AUTH_MODE: "user", MCP_ENCRYPTION_KEY: JSON.stringify(jwk) },
      });
      user = stack.odoo.users.user;
      const [found] = (await stack.odoo.admin.executeKw("res.users", "search", [
        [["login", "=", user.login]],
      ])) as number[];
      userId = found as number;
      userSub = `${stack.odoo.db}:${found}`;
      adminSub = `${stack.odoo.db}:2`;
      countries = (await stack.odoo.admin.executeKw("res.country", "search_count", [[]])) as number;
    });
    afterAll(() => stack.close());

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
        stack.connect(await stack.token(user.login, user.apiKey)),
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
      ).toEqual({ model: "res.country", count: countries });
    });

    it("renders a report through the person's own web session, as a link only they (or no bearer) may open", async () => {
      const [admin, demo] = await Promise.all([
        stack.connect(await stack.token()),
        stack.connect(await stack.token(user.login, user.password)),
      ]);
      // A salesman reaches their own orders only (Odoo's "Personal Orders" rule): one is made for them.
      const odoo = stack.odoo.admin;
      // A customer shared by every company: Odoo refuses an order whose customer is another company's.
      const shared = [
        ["customer_rank", ">", 0],
        ["company_id", "=", false],
      ];
      const [partner] = (await odoo.executeKw("res.partner", "search", [shared], { limit: 1 })) as number[];
      const [product] = (await odoo.executeKw("product.product", "search", [[["sale_ok", "=", true]]], {
        limit: 1,
      })) as number[];
      const orderId = (await odoo.executeKw("sale.order", "create", [
        { partner_id: partner, user_id: userId, order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] },
      ])) as number;
      const [order] = (await odoo.executeKw("sale.order", "read", [[orderId], ["name"]])) as {
        id: number;
        name: string;
      }[];
      const report = structured(
        await demo.callTool({ name: "odoo_get_report", arguments: { model: "sale.order", ids: [order?.id] } }),
      ) as { download_url: string };
      const opened = await fetch(report.download_url);
      expect(opened.headers.get("content-type")).toBe("application/pdf");
      const pdf = Buffer.from(await opened.arrayBuffer());
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      // The simulator's PDFs carry their text; Debian's wkhtmltopdf draws it as shapes.
      if (!stack.odoo.real) expect(pdf.toString("latin1")).toContain(`(${order?.name})`);
      const adminToken = await stack.token();
      const borrowed = await fetch(report.download_url, { headers: { authorization: `Bearer ${adminToken}` } });
      expect(borrowed.status).toBe(403);
      // The admin's own link is another link.
      const own = structured(
        await admin.callTool({ name: "odoo_get_report", arguments: { model: "sale.order", ids: [order?.id] } }),
      ) as { download_url: string };
      expect(own.download_url).not.toBe(report.download_url);
    });

    it("never keeps the password or API key in plaintext, nor logs it", async () => {
      await stack.connect(await stack.token(user.login, user.apiKey));
      const sqlite = stack.auth.config.AUTH_SQLITE_PATH;
      for (const file of readdirSync(dirname(sqlite)).filter((name) => name.startsWith("auth.sqlite"))) {
        expect(readFileSync(join(dirname(sqlite), file)).includes(user.apiKey), file).toBe(false);
      }
      expect(stack.logText()).not.toContain(user.apiKey);
      expect(stack.auth.logText()).not.toContain(user.apiKey);
      const sealed = await stack.auth.storage.list("OdooCredential");
      expect(sealed.length).toBeGreaterThan(0);
      for (const entry of sealed) expect(String(entry.sealed).split(".")).toHaveLength(5);
    });

    it("asks to sign in again when the Odoo password changes: a tool error, then 401 invalid_token", async () => {
      const token = await stack.token(user.login, user.password);
      const client = await stack.connect(token);
      const count = () => client.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } });
      expect(structured(await count()).count).toBe(countries);
      const { url, db } = stack.odoo;
      const odoo = new Odoo({ baseUrl: url, db, username: user.login, password: user.password });
      await odoo.connect();
      await odoo.execute_kw("res.users", "change_password", [[user.password, "changed-password"]]);
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
        const { url, db } = stack.odoo;
        const back = new Odoo({ baseUrl: url, db, username: user.login, password: "changed-password" });
        await back.connect();
        await back.execute_kw("res.users", "change_password", [["changed-password", user.password]]);
      }
    });

    it("removes the sealed credentials when a replayed refresh token revokes the grant", async () => {
      const config = await chatgptClient(stack.auth.url, await stack.auth.chatgptSecret());
      const tokens = await exchange(
        config,
        await codeFlow(config, { login: user.login, password: user.password, resource: stack.mcpUrl }),
      );
      const count = async () =>
        (await stack.auth.storage.list("OdooCredential")).filter((entry) => entry.accountId === userSub).length;
      expect(await count()).toBe(1);
      await oauth.refreshTokenGrant(config, tokens.refresh_token as string);
      await expect(oauth.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({
        error: "invalid_grant",
      });
      expect(await count()).toBe(0);
    });

    it("keeps the person's sealed credentials when they sign out: sign-out ends the browser session, not the apps", async () => {
      const config = await chatgptClient(stack.auth.url, await stack.auth.chatgptSecret());
      const flow = await codeFlow(config, { login: user.login, password: user.password, resource: stack.mcpUrl });
      await exchange(config, flow);
      const count = async () =>
        (await stack.auth.storage.list("OdooCredential")).filter((entry) => entry.accountId === userSub).length;
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
      await stack.token();
      const before = (await stack.auth.storage.list("OdooCredential")).filter((entry) => entry.accountId === adminSub);
      expect(before.length).toBeGreaterThan(0);
      const revoke = await fetch(`${stack.auth.url}/oauth/tokens/revoke`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ sub: adminSub }),
      });
      expect(revoke.status).toBe(200);
      expect((await stack.auth.storage.list("OdooCredential")).filter((entry) => entry.accountId === adminSub)).toEqual(
        [],
      );
    });
  },
);
