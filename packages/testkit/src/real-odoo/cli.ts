/**
 * `pnpm real-odoo <version>`: a real Odoo on loopback until Ctrl-C or SIGTERM. Standard output gets one line
 * of JSON once Odoo answers ({version, url, db, users: [{login, password, apiKey}]}) and nothing else.
 */
import { isRealOdooVersion, MissingPackagesError, REAL_ODOO_VERSIONS, startRealOdoo } from "./index.js";

const version = process.argv[2] ?? "";
if (!isRealOdooVersion(version)) {
  process.stderr.write(`usage: pnpm real-odoo <${REAL_ODOO_VERSIONS.join("|")}>\n`);
  process.exit(2);
}
process.stderr.write(`Starting Odoo ${version} (the first start builds its demo database: a minute or two)…\n`);
try {
  const odoo = await startRealOdoo(version);
  const { url, db, users } = odoo;
  process.stdout.write(`${JSON.stringify({ version: odoo.version, url, db, users })}\n`);
  process.stderr.write(`Odoo ${odoo.version} answers on ${url} (database ${db}); Ctrl-C stops it.\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await odoo.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  process.stderr.write(`${error instanceof MissingPackagesError ? error.message : String(error)}\n`);
  process.exit(1);
}
