/** One simulator per Odoo release (and any extra set-ups a file asks for), started once per test file. */
import { type OdooSim, type OdooSimOptions, SIM_VERSIONS, startOdooSim } from "@odoo-mcp/odoo-sim";
import { afterAll, beforeAll } from "vitest";
import type { OdooClient } from "../src/client.js";
import { createOdooClient, type OdooProtocolSetting } from "../src/connect.js";

export function useSims(extra: Record<string, OdooSimOptions> = {}) {
  const sims = new Map<string, OdooSim>();
  beforeAll(async () => {
    for (const version of SIM_VERSIONS) sims.set(version, await startOdooSim({ version }));
    for (const [key, options] of Object.entries(extra)) sims.set(key, await startOdooSim(options));
  });
  afterAll(async () => {
    await Promise.all([...sims.values()].map((sim) => sim.close()));
  });
  const sim = (key: string) => sims.get(key) as OdooSim;
  /** A client of the simulator `key` (a release, or an extra set-up's name), as the admin by default. */
  const client = (
    key: string,
    protocol: OdooProtocolSetting = "auto",
    secret = "admin",
    username = "admin",
  ): OdooClient =>
    createOdooClient({
      url: sim(key).url,
      db: "demo",
      username,
      secret,
      timeoutMs: 5000,
      rejectedMessage: "refused",
      protocol,
    });
  return { sim, client, all: () => [...sims.values()] };
}
