/** `pnpm start` with ODOO_AUTH_MODE=user: the launcher wires the encryption key between the servers. */

import { DEMO_USERS } from "@odoo-mcp/odoo-sim";
import { callTool } from "@odoo-mcp/testkit/mcp";
import { connectorTokens, startTestSystem, type TestSystem } from "@odoo-mcp/testkit/system";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem({ ODOO_AUTH_MODE: "user" });
});
afterAll(() => system.close());

async function tokenFor(login: string, password: string, target: TestSystem = system): Promise<string> {
  return (await connectorTokens(target, { login, password })).tokens.access_token;
}

const createPartner = async (token: string, target: TestSystem = system) => {
  const response = await callTool(target.mcpUrl, token, "odoo_create_record", {
    model: "res.partner",
    values: { name: "Per-user" },
  });
  return ((await response.json()) as { result: { isError?: boolean; content: { text: string }[] } }).result;
};

describe("per-user Odoo identity through pnpm start", () => {
  it("acts as each person: the admin may create; the read-only user was offered reading only", async () => {
    const [admin, demo] = await Promise.all([tokenFor("admin", "admin"), tokenFor("demo", "demo")]);
    const [byAdmin, byDemo] = await Promise.all([createPartner(admin), createPartner(demo)]);
    expect(byAdmin.isError).toBeFalsy();
    expect(byDemo.isError).toBe(true);
    // Odoo does not let them create records, so their consent gave reading only: nothing reaches Odoo.
    expect(byDemo.content[0]?.text).toContain("your Odoo user may not change data");
  });
});

describe("pnpm start with an Odoo 19 simulator", () => {
  it("reaches Odoo over JSON-2 with no further setting", async () => {
    const odoo19 = await startTestSystem({ ODOO_SIM_VERSION: "19.0" });
    try {
      const token = await tokenFor("admin", "admin", odoo19);
      const response = await callTool(odoo19.mcpUrl, token, "odoo_count_records", { model: "res.country" });
      expect(((await response.json()) as { result: { structuredContent: unknown } }).result.structuredContent).toEqual({
        model: "res.country",
        count: 12,
      });
    } finally {
      await odoo19.close();
    }
  });
});

describe("pnpm start with an Odoo that serves no XML-RPC (as Odoo 22 is announced)", () => {
  it("signs people in by password (the web client's route) or API key (JSON-2) and acts as each of them", async () => {
    const withoutXmlRpc = await startTestSystem({
      ODOO_SIM_VERSION: "20.0",
      ODOO_SIM_XMLRPC: "false",
      ODOO_AUTH_MODE: "user",
    });
    try {
      const response = await fetch(`${withoutXmlRpc.odooUrl}/xmlrpc/2/common`, { method: "POST", body: "<x/>" });
      expect(response.status).toBe(404);
      const demoKey = DEMO_USERS.find((user) => user.login === "demo")?.apiKey as string;
      const [admin, demo] = await Promise.all([
        tokenFor("admin", "admin", withoutXmlRpc),
        tokenFor("demo", demoKey, withoutXmlRpc),
      ]);
      const [byAdmin, byDemo] = await Promise.all([
        createPartner(admin, withoutXmlRpc),
        createPartner(demo, withoutXmlRpc),
      ]);
      expect(byAdmin.isError).toBeFalsy();
      expect(byDemo.isError).toBe(true);
      // Odoo does not let them create records, so their consent gave reading only: nothing reaches Odoo.
      expect(byDemo.content[0]?.text).toContain("your Odoo user may not change data");
      // The admin's partner was created by the admin in Odoo, not by a service account.
      const partners = withoutXmlRpc.simulator?.database.requireModel("res.partner").rows.values() ?? [];
      const created = [...partners].find((row) => row.name === "Per-user");
      expect(created?.create_uid).toBe(2);
    } finally {
      await withoutXmlRpc.close();
    }
  });
});
