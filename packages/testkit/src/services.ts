/**
 * Real Redis and PostgreSQL servers for the tests, from Debian's packages, each on a free loopback port
 * in a temporary directory, started and stopped by the tests themselves. PostgreSQL runs as the
 * `postgres` user when the tests run as root (it refuses to run as root).
 */
import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function waitForPort(port: number, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: "127.0.0.1" }, () => {
        socket.end();
        resolve(true);
      }).on("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface Service {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startRedis(): Promise<Service> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "odoo-mcp-redis-"));
  let child: ReturnType<typeof spawn> | undefined;
  const service: Service = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "yes"],
        { stdio: "ignore" },
      );
      await waitForPort(port);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
  await service.start();
  return service;
}

export const pgBin = (() => {
  const root = "/usr/lib/postgresql";
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  return version ? join(root, version, "bin") : "";
})();

/** `superuser` names the cluster's superuser (Odoo refuses to connect as `postgres`). */
export async function startPostgres({ superuser = "postgres" } = {}): Promise<Service & { dir: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "odoo-mcp-pg-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot)
    chownSync(
      dir,
      Number(execFileSync("id", ["-u", "postgres"]).toString()),
      Number(execFileSync("id", ["-g", "postgres"]).toString()),
    );
  const run = (command: string, args: string[]) =>
    execFileSync(
      asRoot ? "runuser" : join(pgBin, command),
      asRoot ? ["-u", "postgres", "--", join(pgBin, command), ...args] : args,
      { stdio: "pipe" },
    );
  const data = join(dir, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", superuser, "--no-sync"]);
  const service = {
    url: `postgres://${superuser}@127.0.0.1:${port}/postgres`,
    port,
    dir,
    async start() {
      run("pg_ctl", [
        "-D",
        data,
        "-l",
        join(dir, "log"),
        "-w",
        "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        "start",
      ]);
      await waitForPort(port);
    },
    async stop() {
      run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    },
  };
  await service.start();
  return service;
}

/** A real Redis and PostgreSQL for the calling suite: started before its tests, stopped after them. */
export function useRedisAndPostgres(): { readonly redis: Service; readonly postgres: Service } {
  const services = {} as { redis: Service; postgres: Service };
  beforeAll(async () => {
    [services.redis, services.postgres] = await Promise.all([startRedis(), startPostgres()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([services.redis?.stop(), services.postgres?.stop()]);
  });
  return services;
}
