/**
 * A real Odoo 17.0, 18.0 or 19.0 on loopback, from the source tarballs: a private PostgreSQL cluster on a
 * free port in a temporary folder, the demo database (built once, then restored from the cache), and
 * Odoo's server on a free port. `pnpm real-odoo <version>` and the real-Odoo test targets both start it here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startPostgres } from "../services.js";
import { type Cluster, copyDatabase, prepareTemplate, type RealOdooUser } from "./database.js";
import { DB_ROLE, startOdooServer } from "./odoo-process.js";
import { assertDebianPackages } from "./prerequisites.js";
import type { RealOdooVersion } from "./releases.js";
import { unpackedTree } from "./sources.js";

export { type Cluster, copyDatabase, type RealOdooUser } from "./database.js";
export { MissingPackagesError } from "./prerequisites.js";
export { isRealOdooVersion, REAL_ODOO_VERSIONS, type RealOdooVersion } from "./releases.js";

/** The database no one connects to, copied for each database handed out. */
export const TEMPLATE_DB = "odoo_template";

export interface RealOdoo extends Cluster {
  /** What Odoo says it is, e.g. `19.0+e-20251227`. */
  version: string;
  url: string;
  /** The database served to whoever asks: a copy of the demo database. */
  db: string;
  /** admin, demo and clerk (Sales and Inventory user only), each with password and API key. */
  users: RealOdooUser[];
  /** Odoo's log: one line per HTTP request among others. */
  logFile: string;
  stop(): Promise<void>;
}

async function serverVersion(url: string): Promise<string> {
  const response = await fetch(`${url}/web/webclient/version_info`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: {} }),
  });
  return ((await response.json()) as { result: { server_version: string } }).result.server_version;
}

export async function startRealOdoo(version: RealOdooVersion): Promise<RealOdoo> {
  assertDebianPackages();
  const tree = await unpackedTree(version);
  const postgres = await startPostgres({ superuser: DB_ROLE });
  const dataDir = mkdtempSync(join(tmpdir(), `odoo-mcp-real-${version}-`));
  const runtime = { tree, pgPort: postgres.port, dataDir };
  const removeFolders = () => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(postgres.dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const users = await prepareTemplate(runtime, TEMPLATE_DB, port);
    const db = "odoo";
    copyDatabase(runtime, TEMPLATE_DB, db);
    const server = await startOdooServer(runtime, port);
    return {
      version: await serverVersion(server.url),
      url: server.url,
      db,
      users,
      pgPort: postgres.port,
      dataDir,
      logFile: server.logFile,
      async stop() {
        await server.stop();
        await postgres.stop();
        removeFolders();
      },
    };
  } catch (error) {
    await postgres.stop().catch(() => undefined);
    removeFolders();
    throw error;
  }
}
