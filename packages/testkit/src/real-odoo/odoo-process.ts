/**
 * Odoo's own command line, run from an unpacked tree with Debian's interpreter: the server (threaded, on a
 * loopback port, no cron threads so nothing runs behind the tests' backs) and the shell (a script on
 * standard input), both against the private PostgreSQL cluster.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { PYTHON } from "./releases.js";
import type { OdooTree } from "./sources.js";

export interface OdooRuntime {
  tree: OdooTree;
  pgPort: number;
  /** Odoo's data directory: sessions and each database's filestore. */
  dataDir: string;
}

/** The PostgreSQL role Odoo connects as (Odoo refuses `postgres`). */
export const DB_ROLE = "odoo";

function commonArgs({ tree, pgPort, dataDir }: OdooRuntime): string[] {
  return [
    `--addons-path=${tree.addonsPath}`,
    `--data-dir=${dataDir}`,
    "--db_host=127.0.0.1",
    `--db_port=${pgPort}`,
    `--db_user=${DB_ROLE}`,
    `--db_password=${DB_ROLE}`,
    // Mail goes nowhere: a closed port, so every e-mail stays in Odoo's queue (mail.mail) to be read.
    "--smtp=127.0.0.1",
    "--smtp-port=9",
  ];
}

function run(runtime: OdooRuntime, command: string, args: string[], logFile?: string): ChildProcess {
  const child = spawn(PYTHON, [...runtime.tree.release.launcher, command, ...commonArgs(runtime), ...args], {
    cwd: runtime.tree.root,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
  });
  if (logFile) {
    const log = createWriteStream(logFile, { flags: "a" });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  return child;
}

/** Runs Odoo to completion (an install with --stop-after-init, a shell script); rejects with its log's tail. */
export function runToCompletion(
  runtime: OdooRuntime,
  command: "server" | "shell",
  args: string[],
  stdin = "",
): Promise<string> {
  const child = run(runtime, command, args);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-8000);
  });
  child.stdin?.end(stdin);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`Odoo ${command} exited with ${code}:\n${errors.slice(-3000)}`));
    });
  });
}

export interface OdooServerProcess {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/web/webclient/version_info`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: {} }),
      signal: AbortSignal.timeout(2000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts Odoo's HTTP server on `port` and resolves once it answers; its log goes to `<dataDir>/odoo.log`. */
export async function startOdooServer(
  runtime: OdooRuntime,
  port: number,
  args: string[] = [],
): Promise<OdooServerProcess> {
  const logFile = join(runtime.dataDir, "odoo.log");
  const child = run(
    runtime,
    "server",
    // --proxy-mode, as an Odoo behind a reverse proxy runs: it counts sign-ins against the forwarded address.
    [
      "--http-interface=127.0.0.1",
      `--http-port=${port}`,
      "--max-cron-threads=0",
      "--workers=0",
      "--proxy-mode",
      ...args,
    ],
    logFile,
  );
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const deadline = Date.now() + 120_000;
  while (!(await answers(url))) {
    if (exited) throw new Error(`Odoo stopped before it answered; see ${logFile}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Odoo did not answer on ${url} within 120 s; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    logFile,
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
