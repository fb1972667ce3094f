/**
 * `pnpm real-odoo <version>`: a real Odoo on loopback until Ctrl-C or SIGTERM. Standard output gets one line
 * of JSON once Odoo answers ({version, url, db, users: [{login, password, apiKey}]}) and nothing else.
 * `pnpm start:real-odoo <version>` (`--start`) also runs the whole system against it, as `pnpm start` does.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isRealOdooVersion, MissingPackagesError, REAL_ODOO_VERSIONS, type RealOdoo, startRealOdoo } from "./index.js";

const version = process.argv.find((arg) => isRealOdooVersion(arg)) ?? "";
const withSystem = process.argv.includes("--start");
if (!isRealOdooVersion(version)) {
  process.stderr.write(
    `usage: pnpm real-odoo <${REAL_ODOO_VERSIONS.join("|")}>  (pnpm start:real-odoo <version> runs odoo-mcp against it)\n`,
  );
  process.exit(2);
}

/** `pnpm start` (the launcher, its checks and banner) against this Odoo, the administrator's API key as service account. */
function startSystemAgainst(odoo: RealOdoo) {
  const admin = odoo.users.find((user) => user.login === "admin");
  const launcher = join(dirname(fileURLToPath(import.meta.url)), "../../../launcher/src/start.ts");
  return spawn(process.execPath, ["--import", "tsx", launcher], {
    stdio: "inherit",
    env: {
      ...process.env,
      ODOO_URL: odoo.url,
      ODOO_DB: odoo.db,
      ODOO_USERNAME: "admin",
      ODOO_PASSWORD: admin?.apiKey ?? "admin",
    },
  });
}

process.stderr.write(`Starting Odoo ${version} (the first start builds its demo database: a minute or two)…\n`);
let odoo: RealOdoo;
try {
  odoo = await startRealOdoo(version);
} catch (error) {
  process.stderr.write(`${error instanceof MissingPackagesError ? error.message : String(error)}\n`);
  process.exit(1);
}
const { url, db, users } = odoo;
if (withSystem)
  process.stderr.write(
    `Odoo ${odoo.version} answers on ${url} (database ${db}); sign in as ${users.map((user) => `${user.login}/${user.password}`).join(", ")}.\n`,
  );
else {
  process.stdout.write(`${JSON.stringify({ version: odoo.version, url, db, users })}\n`);
  process.stderr.write(`Odoo ${odoo.version} answers on ${url} (database ${db}); Ctrl-C stops it.\n`);
}
const system = withSystem ? startSystemAgainst(odoo) : undefined;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  if (system && system.exitCode === null) {
    const exited = new Promise((resolve) => system.once("exit", resolve));
    system.kill("SIGTERM");
    await exited;
  }
  await odoo.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
system?.once("exit", stop);
