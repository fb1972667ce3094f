import { type OdooSim, SIM_VERSIONS, startOdooSim } from "@odoo-mcp/odoo-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOdooClient } from "../src/connect.js";
import { userRights } from "../src/rights.js";

const sims = new Map<string, OdooSim>();
beforeAll(async () => {
  for (const version of SIM_VERSIONS) sims.set(version, await startOdooSim({ version }));
});
afterAll(async () => {
  await Promise.all([...sims.values()].map((sim) => sim.close()));
});

const service = (sim: OdooSim) =>
  createOdooClient({
    url: sim.url,
    db: "demo",
    username: "admin",
    secret: "admin",
    timeoutMs: 5000,
    rejectedMessage: "refused",
    protocol: "auto",
  });

describe("a person's rights now, asked with the service account", () => {
  it.each(SIM_VERSIONS)("on %s: who may write, who is still an internal user, and a demotion", async (version) => {
    const sim = sims.get(version) as OdooSim;
    const odoo = service(sim);
    const byModel = { writeCheckModel: "res.partner" };
    expect(await userRights(odoo, 2, byModel)).toEqual({ internal: true, canWrite: true });
    expect(await userRights(odoo, 3, byModel)).toEqual({ internal: true, canWrite: false });
    expect(await userRights(odoo, 4, byModel)).toEqual({ internal: false, canWrite: false }); // portal
    expect(await userRights(odoo, 5, byModel)).toEqual({ internal: false, canWrite: false }); // archived
    expect(await userRights(odoo, 999, byModel)).toEqual({ internal: false, canWrite: false });
    const byGroup = { writeGroup: "sales_team.group_sale_salesman", writeCheckModel: "res.partner" };
    expect(await userRights(odoo, 3, byGroup)).toEqual({ internal: true, canWrite: true });
    expect(await userRights(odoo, 2, byGroup)).toEqual({ internal: true, canWrite: false });
    // The administrator loses the Settings group in Odoo: they may no longer write.
    const admin = sim.database.users.find((user) => user.login === "admin");
    if (!admin) throw new Error("no admin");
    admin.group = "user";
    try {
      expect(await userRights(odoo, 2, byModel)).toEqual({ internal: true, canWrite: false });
    } finally {
      admin.group = "admin";
    }
  });
});
