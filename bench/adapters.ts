/**
 * Scenario 6: what the per-version adapters of packages/odoo-client cost. Each adapted call and its
 * raw baseline (the same execute_kw the tools sent before the adapters) run against one canned client
 * that answers at once, alternated in rounds in this process, so the figure is the adapters' own CPU
 * time per call, not Odoo's or the network's. Median of the rounds, in microseconds.
 */
import {
  adaptProductDomain,
  adaptProductValues,
  adaptStockMoveValues,
  capabilitiesOf,
  nameSearch,
  type OdooClient,
  type OdooServer,
  parseRelease,
  readGroups,
} from "@odoo-mcp/odoo-client";

const server = (version: string): OdooServer => ({
  ...parseRelease(version),
  ...capabilitiesOf(parseRelease(version)),
  protocol: "xmlrpc",
});

const GROUPS = Array.from({ length: 20 }, (_, index) => ({
  location_id: [index + 1, `WH/Stock ${index}`],
  __count: index + 3,
  quantity__sum: index * 10.5,
}));
const FORMATTED = GROUPS.map((group) => ({
  location_id: group.location_id,
  __count: group.__count,
  "quantity:sum": group.quantity__sum,
  __extra_domain: [["location_id", "=", group.location_id[0]]],
}));
const PAIRS = Array.from({ length: 10 }, (_, index) => [index + 1, `Partner ${index}`]);

/** A client that answers every call at once with a canned result, as a very fast Odoo would. */
function cannedClient(version: string): OdooClient {
  const release = server(version);
  return {
    server: async () => release,
    version: async () => ({ server_version: version }),
    signIn: async () => undefined,
    executeKw: async (_model, method) =>
      method === "name_search" ? PAIRS : method === "formatted_read_group" ? FORMATTED : GROUPS,
  };
}

/** The aggregation tool's own row mapping before the adapters (strip Odoo's `__` keys, `__count` → count). */
function rawGroupRow(row: Record<string, unknown>) {
  const { __count, ...rest } = row;
  return { ...Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith("__"))), count: __count };
}

const groupQuery = {
  domain: [["location_id.usage", "=", "internal"]],
  groupby: ["location_id"],
  aggregates: ["quantity:sum"],
  order: "quantity desc",
  offset: 0,
  limit: 100,
};
const picking = {
  picking_type_id: 3,
  move_ids: Array.from({ length: 3 }, (_, index) => [0, 0, { product_id: index + 1, product_uom_qty: 2, name: "x" }]),
};

interface Pair {
  name: string;
  raw: () => Promise<unknown>;
  adapted: () => Promise<unknown>;
}

const PAIRS_TO_MEASURE: Pair[] = [
  {
    name: "name_search (19.0: domain)",
    raw: () =>
      cannedClient("19.0").executeKw("res.partner", "name_search", [], {
        name: "a",
        args: [],
        operator: "ilike",
        limit: 10,
      }),
    adapted: () => nameSearch(cannedClient("19.0"), "res.partner", { name: "a", domain: [], limit: 10 }),
  },
  {
    name: "grouped read, 20 groups (17.0: read_group)",
    raw: async () =>
      (
        (await cannedClient("17.0").executeKw("stock.quant", "read_group", [], groupQuery)) as Record<string, unknown>[]
      ).map(rawGroupRow),
    adapted: () => readGroups(cannedClient("17.0"), "stock.quant", groupQuery),
  },
  {
    name: "grouped read, 20 groups (19.0: formatted_read_group)",
    raw: async () =>
      (
        (await cannedClient("19.0").executeKw("stock.quant", "read_group", [], groupQuery)) as Record<string, unknown>[]
      ).map(rawGroupRow),
    adapted: () => readGroups(cannedClient("19.0"), "stock.quant", groupQuery),
  },
  {
    name: "transfer values, 3 moves + product domain (19.0)",
    raw: async () => picking,
    adapted: async () => {
      const odoo = cannedClient("19.0");
      adaptProductDomain(await odoo.server(), "product.template", [["type", "=", "product"]]);
      adaptProductValues(await odoo.server(), "stock.picking", picking);
      return adaptStockMoveValues(odoo, "stock.picking", picking);
    },
  },
];

async function cpuMicrosPerCall(run: () => Promise<unknown>, calls: number): Promise<number> {
  const start = process.cpuUsage();
  for (let index = 0; index < calls; index++) await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export interface AdapterFigures {
  name: string;
  raw: number;
  adapted: number;
}

/** Raw and adapted alternated `rounds` times, `calls` each: the median µs of CPU per call of each. */
export async function measureAdapters(rounds = 7, calls = 20_000): Promise<AdapterFigures[]> {
  const figures: AdapterFigures[] = [];
  for (const pair of PAIRS_TO_MEASURE) {
    await cpuMicrosPerCall(pair.raw, calls / 4); // warm both paths up before measuring
    await cpuMicrosPerCall(pair.adapted, calls / 4);
    const raw: number[] = [];
    const adapted: number[] = [];
    for (let round = 0; round < rounds; round++) {
      raw.push(await cpuMicrosPerCall(pair.raw, calls));
      adapted.push(await cpuMicrosPerCall(pair.adapted, calls));
    }
    figures.push({ name: pair.name, raw: median(raw), adapted: median(adapted) });
  }
  return figures;
}
