/**
 * An access token answers to the person's Odoo rights now, not to those it was issued with (security
 * review, round three, finding 17): in service mode the service account would go on writing for someone
 * Odoo no longer lets write, for the hour the token lives. Introspection asks Odoo (cached ODOO_RIGHTS_TTL).
 */
import { startAuth } from "@odoo-mcp/testkit/auth";
import { chatgptClient, client, codeFlow, exchange, mcpIntrospector } from "@odoo-mcp/testkit/oauth";
import { describe, expect, it } from "vitest";

const rightsChecked = { ODOO_USERNAME: "admin", ODOO_PASSWORD: "admin", ODOO_RIGHTS_TTL: "0" };

describe("introspection holds a token to the person's Odoo rights now", () => {
  it("takes odoo:write out of a live token once Odoo no longer lets the person write", async () => {
    const local = await startAuth({ env: rightsChecked });
    const admin = local.sim.database.users.find((user) => user.login === "admin");
    if (!admin) throw new Error("no admin");
    try {
      const config = await chatgptClient(local.url, await local.chatgptSecret());
      const tokens = await exchange(config, await codeFlow(config, { login: "admin", password: "admin" }));
      const introspector = await mcpIntrospector(local.url);
      const before = await client.tokenIntrospection(introspector, tokens.access_token);
      expect(String(before.scope).split(" ").sort()).toEqual(["odoo:read", "odoo:write"]);
      expect(before.odoo_can_write).toBe(true);
      // The administrator loses every right to write in Odoo; the same token, not refreshed:
      admin.group = "user";
      const after = await client.tokenIntrospection(introspector, tokens.access_token);
      expect(after).toMatchObject({ active: true, scope: "odoo:read", odoo_can_write: false });
    } finally {
      admin.group = "admin";
      await local.close();
    }
  });

  it("ends a live token once its person is no longer an active internal user", async () => {
    const local = await startAuth({ env: rightsChecked });
    const demo = local.sim.database.users.find((user) => user.login === "demo");
    if (!demo) throw new Error("no demo");
    try {
      const config = await chatgptClient(local.url, await local.chatgptSecret());
      const tokens = await exchange(config, await codeFlow(config, { login: "demo", password: "demo" }));
      const introspector = await mcpIntrospector(local.url);
      expect((await client.tokenIntrospection(introspector, tokens.access_token)).active).toBe(true);
      demo.group = "portal";
      expect(await client.tokenIntrospection(introspector, tokens.access_token)).toEqual({ active: false });
      expect(local.logs.some((line) => line.event === "oauth_token_inactive")).toBe(true);
    } finally {
      demo.group = "user";
      await local.close();
    }
  });
});
