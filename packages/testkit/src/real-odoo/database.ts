/**
 * The demo database of a real Odoo: built once per tarball (install with demo data, users and API keys,
 * the guide's fixtures over RPC), kept as a `pg_dump` with its filestore in the cache, and restored in
 * seconds afterwards. Restored as a template no one connects to, from which each copy is made.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pgBin } from "../services.js";
import { loadGuideFixtures } from "./fixtures.js";
import { DB_ROLE, type OdooRuntime, runToCompletion, startOdooServer } from "./odoo-process.js";
import { MODULES } from "./releases.js";

export interface RealOdooUser {
  login: string;
  password: string;
  apiKey: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const usersScript = readFileSync(join(here, "create-users.py"), "utf8");

/** What the cached database depends on besides the tarball: a change to any of these builds it again. */
function recipe(): string {
  const hash = createHash("sha256");
  for (const file of ["create-users.py", "fixtures.ts", "database.ts"]) hash.update(readFileSync(join(here, file)));
  hash.update(readFileSync(join(here, "../../../odoo-sim/src/models/guide-fixtures.ts")));
  return hash.digest("hex").slice(0, 12);
}

/** Where Odoo's databases live: the private PostgreSQL cluster and Odoo's data directory. */
export type Cluster = Pick<OdooRuntime, "pgPort" | "dataDir">;

const pg = (cluster: Cluster, command: string, args: string[]) =>
  execFileSync(join(pgBin, command), ["-h", "127.0.0.1", "-p", String(cluster.pgPort), "-U", DB_ROLE, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });

const sql = (cluster: Cluster, statement: string) => pg(cluster, "psql", ["-d", "postgres", "-qc", statement]);

const filestore = (cluster: Cluster, db: string) => join(cluster.dataDir, "filestore", db);

/** Builds the database `db` from nothing: 60-90 s on two cores. */
async function build(runtime: OdooRuntime, db: string, httpPort: number): Promise<RealOdooUser[]> {
  await runToCompletion(runtime, "server", [
    `--database=${db}`,
    `--init=${MODULES}`,
    ...runtime.tree.release.demoFlags,
    "--stop-after-init",
    "--log-level=warn",
  ]);
  const output = await runToCompletion(
    runtime,
    "shell",
    [`--database=${db}`, "--no-http", "--log-level=warn"],
    usersScript,
  );
  const line = output.split("\n").find((text) => text.startsWith("ODOO_MCP_USERS="));
  if (!line) throw new Error(`Odoo's shell did not create the users:\n${output.slice(-2000)}`);
  const users = JSON.parse(line.slice("ODOO_MCP_USERS=".length)) as RealOdooUser[];
  const server = await startOdooServer(runtime, httpPort, [`--database=${db}`]);
  try {
    await loadGuideFixtures(server.url, db, users[0] as RealOdooUser);
  } finally {
    await server.stop();
  }
  return users;
}

/**
 * Makes `template` hold the demo database, from the cache or built (and then cached), and closes it to
 * connections so copies can be made of it at any time. Answers the users and their API keys.
 */
export async function prepareTemplate(
  runtime: OdooRuntime,
  template: string,
  httpPort: number,
): Promise<RealOdooUser[]> {
  const cached = join(runtime.tree.cache, `database-${recipe()}`);
  let users: RealOdooUser[];
  if (existsSync(join(cached, "users.json"))) {
    pg(runtime, "createdb", [template]);
    pg(runtime, "pg_restore", ["--jobs=2", "--no-owner", `--dbname=${template}`, join(cached, "odoo.dump")]);
    mkdirSync(dirname(filestore(runtime, template)), { recursive: true });
    cpSync(join(cached, "filestore"), filestore(runtime, template), { recursive: true });
    users = JSON.parse(readFileSync(join(cached, "users.json"), "utf8")) as RealOdooUser[];
  } else {
    users = await build(runtime, template, httpPort);
    const building = `${cached}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    pg(runtime, "pg_dump", ["--format=custom", `--file=${join(building, "odoo.dump")}`, template]);
    cpSync(filestore(runtime, template), join(building, "filestore"), { recursive: true });
    writeFileSync(join(building, "users.json"), `${JSON.stringify(users, null, 2)}\n`);
    try {
      renameSync(building, cached);
    } catch (error) {
      rmSync(building, { recursive: true, force: true });
      if (!existsSync(cached)) throw error; // another run cached the same database first
    }
    // Databases built by earlier recipes are not used again.
    for (const entry of readdirSync(runtime.tree.cache))
      if (/^database-[0-9a-f]+$/.test(entry) && join(runtime.tree.cache, entry) !== cached)
        rmSync(join(runtime.tree.cache, entry), { recursive: true, force: true });
  }
  sql(runtime, `ALTER DATABASE "${template}" WITH ALLOW_CONNECTIONS false IS_TEMPLATE true`);
  return users;
}

/** A new database `db` copied from `template` (PostgreSQL's file copy) with its filestore: about a second. */
export function copyDatabase(cluster: Cluster, template: string, db: string): void {
  if (!/^[a-z][a-z0-9_]*$/.test(db)) throw new Error(`not a database name for the tests: ${db}`);
  sql(cluster, `CREATE DATABASE "${db}" TEMPLATE "${template}"`);
  const source = filestore(cluster, template);
  if (existsSync(source)) cpSync(source, filestore(cluster, db), { recursive: true });
}
