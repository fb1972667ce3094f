/**
 * Vitest's global set-up under `pnpm test:odoo`: starts a real Odoo of each release (ODOO_REAL_VERSIONS,
 * default all three) for the whole run and tells the test files where they are (odoo.ts `realOdooServers`).
 * Each suite then works on its own copy of the demo database.
 */
import type { TestProject } from "vitest/node";
import { isRealOdooVersion, REAL_ODOO_VERSIONS, type RealOdoo, startRealOdoo } from "./index.js";

export default async function setup(project: TestProject) {
  const versions = (process.env.ODOO_REAL_VERSIONS ?? REAL_ODOO_VERSIONS.join(","))
    .split(",")
    .map((version) => version.trim())
    .filter(Boolean);
  const unknown = versions.filter((version) => !isRealOdooVersion(version));
  if (unknown.length > 0) throw new Error(`ODOO_REAL_VERSIONS: no real Odoo ${unknown.join(", ")}`);
  const started: RealOdoo[] = [];
  const stopAll = () => Promise.all(started.map((odoo) => odoo.stop()));
  try {
    // One after the other: building a database takes both cores.
    for (const version of versions.filter(isRealOdooVersion)) started.push(await startRealOdoo(version));
  } catch (error) {
    await stopAll();
    throw error;
  }
  project.provide(
    "realOdoo",
    Object.fromEntries(
      started.map(({ version, url, users, pgPort, dataDir, logFile }, index) => [
        versions[index],
        { version, url, users, pgPort, dataDir, logFile },
      ]),
    ),
  );
  return stopAll;
}
