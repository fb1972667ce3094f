import { SIM_VERSIONS } from "@odoo-mcp/odoo-sim";
import { describe, expect, it } from "vitest";
import type { OdooClient } from "../src/client.js";
import {
  adaptProductDomain,
  adaptProductValues,
  adaptStockMoveValues,
  type GroupRow,
  nameSearch,
  readGroups,
  readGroupsWithDomains,
} from "../src/methods.js";
import { capabilitiesOf, parseRelease } from "../src/version.js";
import { useSims } from "./sims.js";

const sims = useSims();
const clients = new Map<string, OdooClient>();
/** One client per release for the whole file: name_search learns across calls. */
const odoo = (version: string) => {
  if (!clients.has(version)) clients.set(version, sims.client(version));
  return clients.get(version) as OdooClient;
};
const serverOf = (version: string) => ({
  ...parseRelease(version),
  ...capabilitiesOf(parseRelease(version)),
  protocol: "xmlrpc" as const,
});

describe("the calls whose shape changed, on every release", () => {
  it("name_search finds the same records with a filter, whatever the release calls it", async () => {
    const results = await Promise.all(
      SIM_VERSIONS.map((version) =>
        nameSearch(odoo(version), "res.partner", { name: "a", domain: [["is_company", "=", true]], limit: 5 }),
      ),
    );
    expect(results[0]?.length).toBe(5);
    for (const pairs of results) expect(pairs).toEqual(results[0]);
  });

  it("name_search learns the keyword of a SaaS release the version alone does not tell", async () => {
    // A saas~18.3 that already speaks 19.0's `domain`: the client says args, hears the TypeError, and learns.
    const base = odoo("19.0");
    const intermediate: OdooClient = {
      ...base,
      server: async () => ({ ...(await base.server()), ...serverOf("saas~18.3") }),
    };
    const query = { name: "Spain", domain: [], limit: 3 };
    expect(await nameSearch(intermediate, "res.country", query)).toEqual([[expect.any(Number), "Spain"]]);
    expect(await nameSearch(intermediate, "res.country", query)).toEqual([[expect.any(Number), "Spain"]]);
  });

  it("grouped reads answer the same rows through read_group (17, 18) and formatted_read_group (19, 20)", async () => {
    const query = {
      domain: [["state", "in", ["sale", "draft"]]],
      groupby: ["partner_id", "date_order:month"],
      aggregates: ["amount_total:sum", "amount_total:max"],
      order: "amount_total:sum desc",
      offset: 0,
      limit: 50,
    };
    const results = await Promise.all(SIM_VERSIONS.map((version) => readGroups(odoo(version), "sale.order", query)));
    const rows = results[0] as GroupRow[];
    expect(rows.length).toBeGreaterThan(3);
    expect(Object.keys(rows[0] as GroupRow).sort()).toEqual(
      ["amount_total:max", "amount_total:sum", "count", "date_order:month", "partner_id"].sort(),
    );
    expect(rows[0]?.["date_order:month"]).toMatch(/^[A-Z][a-z]+ \d{4}$/);
    const sums = rows.map((row) => row["amount_total:sum"] as number);
    expect(sums).toEqual([...sums].sort((a, b) => b - a));
    for (const other of results) expect(other).toEqual(rows);
    // Only the releases that have it use formatted_read_group; none calls a deprecated method.
    for (const sim of sims.all()) expect(sim.database.warnings).toEqual([]);
  });

  it("gives each group the domain of its records, on every release (a chart's drill-down)", async () => {
    const query = {
      domain: [["state", "in", ["sale", "draft"]]],
      groupby: ["partner_id", "date_order:month"],
      aggregates: ["amount_total:sum"],
      offset: 0,
      limit: 50,
    };
    for (const version of SIM_VERSIONS) {
      const groups = await readGroupsWithDomains(odoo(version), "sale.order", query);
      expect(groups.length).toBeGreaterThan(3);
      for (const { row, domain } of groups) {
        const found = (await odoo(version).executeKw("sale.order", "search_read", [domain], {
          fields: ["partner_id", "amount_total"],
        })) as { partner_id: [number, string]; amount_total: number }[];
        expect(found.length).toBe(row.count);
        expect(found.every((order) => order.partner_id[0] === (row.partner_id as [number, string])[0])).toBe(true);
        const total = found.reduce((sum, order) => sum + order.amount_total, 0);
        expect(total).toBeCloseTo(row["amount_total:sum"] as number, 2);
      }
    }
  });

  it("orders groups by count", async () => {
    const query = { domain: [], groupby: ["country_id"], aggregates: [], order: "count desc", offset: 0, limit: 3 };
    for (const version of SIM_VERSIONS) {
      const counts = (await readGroups(odoo(version), "res.partner", query)).map((row) => row.count);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
    }
  });
});

describe("values and domains in the release's own spelling", () => {
  it("rewrites a storable product between type 'product' (17) and is_storable (18 on)", () => {
    expect(adaptProductValues(serverOf("18.0"), "product.template", { name: "x", type: "product" }).value).toEqual({
      name: "x",
      type: "consu",
      is_storable: true,
    });
    expect(adaptProductValues(serverOf("17.0"), "product.product", { is_storable: true }).value).toEqual({
      type: "product",
    });
    expect(
      adaptProductValues(serverOf("17.0"), "product.template", { is_storable: false, type: "service" }).value,
    ).toEqual({
      type: "service",
    });
    expect(adaptProductValues(serverOf("19.0"), "res.partner", { type: "product" }).notes).toEqual([]);
    expect(adaptProductDomain(serverOf("19.0"), "product.template", [["type", "!=", "product"]]).value).toEqual([
      ["is_storable", "!=", true],
    ]);
    expect(adaptProductDomain(serverOf("17.0"), "product.template", ["!", ["is_storable", "=", false]]).value).toEqual([
      "!",
      ["type", "!=", "product"],
    ]);
  });

  it("names stock moves up to 18.0 and leaves the name out from 19.0, alone or inside a transfer", async () => {
    const line = { product_id: 1, product_uom_qty: 2, quantity_done: 2 };
    const on18 = await adaptStockMoveValues(odoo("18.0"), "stock.picking", {
      move_ids: [
        [0, 0, line],
        [4, 7],
      ],
    });
    expect(on18.value).toEqual({
      move_ids: [
        [
          0,
          0,
          { product_id: 1, product_uom_qty: 2, quantity: 2, name: "[LAP-LEN-X1] Laptop Lenovo ThinkPad X1 Carbon" },
        ],
        [4, 7],
      ],
    });
    const on19 = await adaptStockMoveValues(odoo("19.0"), "stock.move", {
      product_id: 1,
      name: "x",
      product_uom_qty: 1,
    });
    expect(on19.value).toEqual({ product_id: 1, product_uom_qty: 1 });
    expect(on19.notes.join(" ")).toContain("no name");
  });
});
