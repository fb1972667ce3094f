/** An in-process fake of Odoo 17's external XML-RPC API with demo data, for tests, benchmarks and the demo. */
import type { Server } from "node:http";
import { createLogger, type Logger } from "@odoo-mcp/shared";
import { baseModels } from "./models/base.js";
import { loadDemoData } from "./models/demo-data.js";
import { DEMO_USERS } from "./models/demo-users.js";
import { irModels } from "./models/ir.js";
import { productModels } from "./models/product.js";
import { saleModels } from "./models/sale.js";
import { stockModels } from "./models/stock.js";
import { Database } from "./orm/database.js";
import type { OdooVersion } from "./rpc.js";
import { createSimServer, listen } from "./server.js";

export { SIM_ENV_VARIABLES } from "./config.js";
export { DEMO_USERS } from "./models/demo-users.js";
export type { Database } from "./orm/database.js";
export { type OdooVersion, VERSION as ODOO_VERSION } from "./rpc.js";

export const MODELS = [...baseModels, ...productModels, ...stockModels, ...saleModels, ...irModels];

/** A fresh database with the demo data loaded. */
export function createDemoDatabase(name = "demo"): Database {
  const db = new Database(name, MODELS, DEMO_USERS);
  loadDemoData(db);
  return db;
}

export interface OdooSimOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** 17.0 (the default) speaks XML-RPC; 19.0 also speaks JSON-2, as Odoo 19 does. */
  version?: OdooVersion;
  host?: string;
  db?: string;
  logger?: Logger;
}

export interface OdooSim {
  /** Base URL, e.g. `http://127.0.0.1:8069`. */
  url: string;
  port: number;
  db: string;
  database: Database;
  server: Server;
  close(): Promise<void>;
}

export async function startOdooSim(options: OdooSimOptions = {}): Promise<OdooSim> {
  const dbName = options.db ?? "demo";
  const database = createDemoDatabase(dbName);
  const logger = options.logger ?? createLogger({ name: "odoo-sim", level: "silent" });
  const server = createSimServer({
    databases: new Map([[dbName, database]]),
    logger,
    ...(options.version ? { version: options.version } : {}),
  });
  const host = options.host ?? "127.0.0.1";
  const address = await listen(server, options.port ?? 0, host);
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    db: dbName,
    database,
    server,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
