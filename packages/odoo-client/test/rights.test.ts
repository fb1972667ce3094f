import { SIM_VERSIONS } from "@odoo-mcp/odoo-sim";
import { describe, expect, it } from "vitest";
import { userRights } from "../src/rights.js";
import { useSims } from "./sims.js";

const sims = useSims();

describe("a person's rights now, asked with the service account", () => {
  it.each(SIM_VERSIONS)("on %s: who may write, who is still an internal user, and a demotion", async (version) => {
    const sim = sims.sim(version);
    const odoo = sims.client(version);
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
