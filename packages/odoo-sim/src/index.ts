/**
 * An in-process Odoo on the wire (XML-RPC, JSON-2 from 19.0, the web client's session routes) as Odoo 17, 18,
 * 19 or 20 behaves, with demo data: for tests, benchmarks and the demo.
 */
import type { Server } from "node:http";
import { createLogger, type Logger } from "@odoo-mcp/shared";
import { createSimServer, listen } from "./http/server.js";
import { accountModels } from "./models/account.js";
import { baseModels } from "./models/base.js";
import { loadDemoData } from "./models/demo-data.js";
import { DEMO_USERS } from "./models/demo-users.js";
import { irModels } from "./models/ir.js";
import { asMailThread, MAIL_THREAD_MODELS, mailModels, mailQueue, type QueuedEmail } from "./models/mail.js";
import { productModels } from "./models/product.js";
import { reportModels } from "./models/reports.js";
import { saleModels } from "./models/sale.js";
import { stockModels } from "./models/stock.js";
import { Database } from "./orm/database.js";
import { type OdooVersion, type SimRelease, simRelease } from "./release.js";

export { loadSimConfig, SIM_ENV_VARIABLES } from "./config.js";
export { DEMO_USERS } from "./models/demo-users.js";
export { mailQueue, type QueuedEmail } from "./models/mail.js";
export type { Database } from "./orm/database.js";
export { signatureOf } from "./orm/methods.js";
export { ORM_METHOD_NAMES, pythonSignature, type Signature } from "./orm/signatures.js";
export { type OdooVersion, SIM_VERSIONS, type SimRelease, simRelease } from "./release.js";

/** The models of `release`, with that release's fields; those inheriting mail.thread get its methods. */
export const modelsOf = (release: SimRelease) =>
  [
    ...baseModels(release),
    ...productModels(release),
    ...stockModels(release),
    ...saleModels,
    ...accountModels,
    ...mailModels,
    ...reportModels,
    ...irModels,
  ].map((def) => (MAIL_THREAD_MODELS.has(def.name) ? asMailThread(def) : def));

/** A fresh database of `release` with the demo data loaded. */
export function createDemoDatabase(name = "demo", release: SimRelease = simRelease()): Database {
  const db = new Database(name, modelsOf(release), DEMO_USERS, release);
  loadDemoData(db);
  return db;
}

export interface OdooSimOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The Odoo release to be (default 17.0): its signatures, fields and protocols (JSON-2 from 19.0). */
  version?: OdooVersion;
  /** Serve `/xmlrpc/2` (default true); false is an Odoo without XML-RPC, as Odoo 22 is announced. */
  xmlrpc?: boolean;
  host?: string;
  db?: string;
  logger?: Logger;
  /** Odoo's `--proxy-mode` (default false): sign-ins count against the address a proxy forwards. */
  proxyMode?: boolean;
  /** Odoo's System Parameters `base.login_cooldown_after` (0: off) and `base.login_cooldown_duration`. */
  loginCooldown?: { after: number; durationSeconds: number };
}

export interface OdooSim {
  /** Base URL, e.g. `http://127.0.0.1:8069`. */
  url: string;
  port: number;
  db: string;
  release: SimRelease;
  database: Database;
  server: Server;
  /** The mail queue (mail.mail), oldest first: who would be emailed what. */
  mailQueue(): QueuedEmail[];
  close(): Promise<void>;
}

export async function startOdooSim(options: OdooSimOptions = {}): Promise<OdooSim> {
  const dbName = options.db ?? "demo";
  const release = simRelease(options.version ?? "17.0", { xmlrpc: options.xmlrpc ?? true });
  const database = createDemoDatabase(dbName, release);
  const logger = options.logger ?? createLogger({ name: "odoo-sim", level: "silent" });
  const server = createSimServer({
    databases: new Map([[dbName, database]]),
    logger,
    release,
    proxyMode: options.proxyMode,
    loginCooldown: options.loginCooldown,
  });
  const host = options.host ?? "127.0.0.1";
  const address = await listen(server, options.port ?? 0, host);
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    db: dbName,
    release,
    database,
    server,
    mailQueue: () => mailQueue(database),
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
export * as guideFixtures from "./models/guide-fixtures.js";
