import { type OdooUnderTest, odooReleases, openOdoo } from "@odoo-mcp/testkit/odoo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userRights } from "../src/rights.js";

describe.each(odooReleases())(
  "a person's rights now, asked with the service account, on $name",
  ({ version, kind }) => {
    let odoo: OdooUnderTest;
    const uid: Record<string, number> = {};
    beforeAll(async () => {
      odoo = await openOdoo(version, kind);
      const { users } = odoo;
      const found = (await odoo.admin.executeKw(
        "res.users",
        "search_read",
        [[["login", "in", [users.admin.login, users.user.login, users.portal.login, users.former.login]]]],
        { fields: ["login"], context: { active_test: false } },
      )) as { id: number; login: string }[];
      for (const [role, person] of Object.entries(users))
        uid[role] = found.find((user) => user.login === person.login)?.id as number;
    });
    afterAll(() => odoo.close());

    const byModel = { writeCheckModel: "res.partner" };

    it("who may write and who is still an internal user", async () => {
      expect(await userRights(odoo.admin, uid.admin as number, byModel)).toEqual({ internal: true, canWrite: true });
      // Sales and Inventory user rights create no contacts.
      expect(await userRights(odoo.admin, uid.user as number, byModel)).toEqual({ internal: true, canWrite: false });
      expect(await userRights(odoo.admin, uid.portal as number, byModel)).toEqual({ internal: false, canWrite: false });
      expect(await userRights(odoo.admin, uid.former as number, byModel)).toEqual({ internal: false, canWrite: false });
      expect(await userRights(odoo.admin, 999_999, byModel)).toEqual({ internal: false, canWrite: false });
    });

    it("counts implied groups as members of the write group", async () => {
      const salesmen = { writeGroup: "sales_team.group_sale_salesman", writeCheckModel: "res.partner" };
      expect(await userRights(odoo.admin, uid.user as number, salesmen)).toEqual({ internal: true, canWrite: true });
      // The Sales administrator is a salesman too (group_sale_manager implies group_sale_salesman).
      expect(await userRights(odoo.admin, uid.admin as number, salesmen)).toEqual({ internal: true, canWrite: true });
      const settings = { writeGroup: "base.group_system", writeCheckModel: "res.partner" };
      expect(await userRights(odoo.admin, uid.admin as number, settings)).toEqual({ internal: true, canWrite: true });
      expect(await userRights(odoo.admin, uid.user as number, settings)).toEqual({ internal: true, canWrite: false });
    });

    it("sees a person archived in Odoo at once", async () => {
      await odoo.admin.executeKw("res.users", "write", [[uid.user], { active: false }]);
      try {
        expect(await userRights(odoo.admin, uid.user as number, byModel)).toEqual({ internal: false, canWrite: false });
      } finally {
        await odoo.admin.executeKw("res.users", "write", [[uid.user], { active: true }]);
      }
    });
  },
);
