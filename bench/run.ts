/**
 * `pnpm bench`: load benchmarks on loopback against the real servers, each in its own process, printed
 * as one table with the ratios measured in this same run. BENCH_DURATION (seconds per scenario, default
 * 10) and BENCH_CONNECTIONS (default 50) tune it; BENCH_DURATION=1 is the quick smoke run CI does.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_USERS } from "@odoo-mcp/odoo-sim";
import autocannon from "autocannon";
import Odoo from "odoo-await";
import * as oauth from "openid-client";
import { bundle } from "../scripts/bundle.js";
import { measureAdapters } from "./adapters.js";
import { cpuPerRequest, cpuSnapshot, type Processes } from "./cpu.js";

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const MEMORY_CLIENTS = Number(process.env.BENCH_MEMORY_CLIENTS ?? 1000);
const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
const MCP_CLIENT = { MCP_CLIENT_ID: "bench-mcp-client", MCP_CLIENT_SECRET: "bench-mcp-client-secret-0123456789abcdef" };
const REDIRECT = "https://chatgpt.com/connector_platform_oauth_redirect";
const ADMIN_API_KEY = DEMO_USERS.find((user) => user.login === "admin")?.apiKey as string;

interface Figures {
  name: string;
  /** Requests completed. */
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const children: ChildProcess[] = [];
/** The servers run as production runs them: bundled, on plain node, without a TypeScript loader. */
const SERVERS = join(import.meta.dirname, "dist", "servers.mjs");

function startRole(
  role: string,
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<{ pid: number; url?: string }> {
  const child = spawn(process.execPath, [...nodeFlags, SERVERS, role], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      const line = output.split("\n").find((entry) => entry.startsWith("READY "));
      if (line) resolve(JSON.parse(line.slice(6)));
    });
    child.once("exit", (code) => reject(new Error(`${role} exited with ${code}`)));
  });
}
const stopAll = () => {
  for (const child of children) child.kill("SIGKILL");
};
process.on("exit", stopAll);

async function load(name: string, options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ duration: DURATION, connections: CONNECTIONS, ...options });
  const errors = result.errors + result.timeouts + result.non2xx;
  if (errors)
    process.stderr.write(`  ${name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx\n`);
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
  };
}

/** The direct baseline of benchmark 2: odoo-await itself, CONNECTIONS calls in flight, for DURATION. */
async function direct(name: string, odooUrl: string): Promise<Figures> {
  const odoo = new Odoo({ baseUrl: odooUrl, db: "demo", username: "admin", password: "admin" });
  await odoo.connect();
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + DURATION * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        await odoo.searchRead("res.partner", [["customer_rank", ">", 0]], ["name", "email"], { limit: 5 } as never);
        latencies.push(performance.now() - started);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return figuresOf(name, latencies, errors);
}

function figuresOf(name: string, latencies: number[], errors: number): Figures {
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return { name, requests: latencies.length, rps: latencies.length / DURATION, p50: at(0.5), p99: at(0.99), errors };
}

/** The direct baseline over JSON-2: Node's fetch (keep-alive), the same query, CONNECTIONS in flight. */
async function directJson2Call(name: string, odooUrl: string): Promise<Figures> {
  const body = JSON.stringify({ domain: [["customer_rank", ">", 0]], fields: ["name", "email"], limit: 5 });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + DURATION * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      const response = await fetch(`${odooUrl}/json/2/res.partner/search_read`, {
        method: "POST",
        headers: { authorization: `bearer ${ADMIN_API_KEY}`, "content-type": "application/json" },
        body,
      }).catch(() => undefined);
      if (response?.ok) {
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
      } else errors++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return figuresOf(name, latencies, errors);
}

/** A refresh token from a real code flow: sign-in and consent through the server's own forms. */
async function signIn(issuer: string): Promise<{ access: string; refresh: string; secret: string }> {
  // Only a hash of the secret is stored: a rotation shows a new one.
  const credentials = (await (
    await fetch(`${issuer}/oauth/rotate-secret`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
  ).json()) as {
    client_secret: string;
  };
  const config = await oauth.discovery(
    new URL(issuer),
    "chatgpt-odoo-mcp",
    undefined,
    oauth.ClientSecretPost(credentials.client_secret),
    {
      execute: [oauth.allowInsecureRequests],
    },
  );
  const verifier = oauth.randomPKCECodeVerifier();
  const url = oauth.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: "odoo:read odoo:write",
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
  const { FormBrowser } = await import("@odoo-mcp/testkit/browser");
  const { callback } = await new FormBrowser().authorize(url, REDIRECT, { login: "admin", password: "admin" });
  const tokens = await oauth.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier });
  return { access: tokens.access_token, refresh: tokens.refresh_token as string, secret: credentials.client_secret };
}

const mcpRequest = (token: string, body: unknown): autocannon.Options => ({
  url: "",
  method: "POST",
  headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
  body: JSON.stringify(body),
});
const toolsList = { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} };
const searchRead = {
  jsonrpc: "2.0",
  id: 2,
  method: "tools/call",
  params: {
    name: "odoo_search_read_records",
    arguments: { model: "res.partner", domain: [["customer_rank", ">", 0]], fields: ["name", "email"], limit: 5 },
  },
};

function peakRssMb(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak: kb("VmHWM") / 1024, now: kb("VmRSS") / 1024 };
}

async function main() {
  await bundle(join(import.meta.dirname, "servers.ts"), SERVERS, import.meta.dirname);
  const [authPort, authMemoryPort, mcpPort, noCachePort, barePort, json2Port] = await Promise.all(
    Array.from({ length: 6 }, freePort),
  );
  const odoo = await startRole("odoo", {});
  const odoo19 = await startRole("odoo", { ODOO_SIM_VERSION: "19.0" });
  const mcpUrl = `http://127.0.0.1:${mcpPort}/mcp`;
  const shared = { ...MCP_CLIENT, ODOO_URL: odoo.url as string, MCP_RESOURCE_URL: mcpUrl, ADMIN_TOKEN };
  const auth = await startRole("auth", {
    ...shared,
    AUTH_PORT: String(authPort),
    AUTH_MEMORY_PORT: String(authMemoryPort),
    AUTH_SQLITE_PATH: join(mkdtempSync(join(tmpdir(), "odoo-mcp-bench-")), "auth.sqlite"),
  });
  const authUrl = `http://127.0.0.1:${authPort}`;
  const mcpEnv = { ...shared, AUTH_ISSUER: authUrl };
  const mcp = await startRole("mcp", {
    ...mcpEnv,
    MCP_PORT: String(mcpPort),
    MCP_NOCACHE_PORT: String(noCachePort),
    BARE_PORT: String(barePort),
    MCP_JSON2_PORT: String(json2Port),
    ODOO19_URL: odoo19.url as string,
    ODOO19_API_KEY: ADMIN_API_KEY,
  });

  const sqliteSession = await signIn(authUrl);
  const memorySession = await signIn(`http://127.0.0.1:${authMemoryPort}`);
  const refresh = (issuer: string, session: { refresh: string; secret: string }): autocannon.Options => ({
    url: `${issuer}/oauth/token`,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: session.refresh,
      client_id: "chatgpt-odoo-mcp",
      client_secret: session.secret,
    }).toString(),
  });

  const results: Figures[] = [];
  const cpu = new Map<Figures, Record<string, number>>();
  const processes: Processes = { mcp: mcp.pid, auth: auth.pid, "odoo 17": odoo.pid, "odoo 19": odoo19.pid };
  const run = async (scenario: () => Promise<Figures>, measured: Processes = processes) => {
    const before = cpuSnapshot(measured);
    const result = await scenario();
    cpu.set(result, cpuPerRequest(before, cpuSnapshot(measured), result.requests));
    results.push(result);
    process.stderr.write(`  ${result.name}: ${Math.round(result.rps)} req/s\n`);
    return result;
  };

  process.stderr.write(`odoo-mcp benchmarks: ${DURATION}s each, ${CONNECTIONS} connections, ${cpus().length} cores\n`);
  const bare = await run(() => load("1a bare Koa JSON endpoint (ceiling)", { url: `http://127.0.0.1:${barePort}/` }));
  const bareLarge = await run(() =>
    load("1b bare Koa, the same ~24 KB body as tools/list", { url: `http://127.0.0.1:${barePort}/tools` }),
  );
  const list = await run(() =>
    load("1c MCP tools/list, bearer on a cache hit", { ...mcpRequest(sqliteSession.access, toolsList), url: mcpUrl }),
  );
  const directCall = await run(() => direct("2a odoo-await straight to odoo-sim (search_read)", odoo.url as string));
  const stackCall = await run(() =>
    load("2b tools/call odoo_search_read_records, whole stack", {
      ...mcpRequest(sqliteSession.access, searchRead),
      url: mcpUrl,
    }),
  );
  const directJson2 = await run(() =>
    directJson2Call("2c JSON-2 straight to odoo-sim 19 (search_read)", odoo19.url as string),
  );
  const stackJson2 = await run(() =>
    load("2d tools/call odoo_search_read_records, whole stack over JSON-2", {
      ...mcpRequest(sqliteSession.access, searchRead),
      url: `http://127.0.0.1:${json2Port}/mcp`,
    }),
  );
  const noCache = await run(() =>
    load("3  same tool call, introspection cache off", {
      ...mcpRequest(sqliteSession.access, searchRead),
      url: `http://127.0.0.1:${noCachePort}/mcp`,
    }),
  );
  const memoryRefresh = await run(() =>
    load(
      "4a refresh grant, oidc-provider in-memory adapter",
      refresh(`http://127.0.0.1:${authMemoryPort}`, memorySession),
    ),
  );
  const sqliteRefresh = await run(() => load("4b refresh grant, SQLite adapter", refresh(authUrl, sqliteSession)));

  // 5: once with V8's default heap sizing, once with the old space capped as deploy/Dockerfile runs it.
  const crowds: { label: string; idle: number; peak: number; figures: Figures }[] = [];
  for (const [label, flags] of [
    ["default heap", []],
    ["--max-old-space-size=64", ["--max-old-space-size=64"]],
  ] as const) {
    const port = await freePort();
    const child = await startRole("mcp-memory", { ...mcpEnv, MCP_PORT: String(port) }, [...flags]);
    const idle = peakRssMb(child.pid).now;
    const figures = await run(
      () =>
        load(`5  tools/list from ${MEMORY_CLIENTS} concurrent clients, ${label}`, {
          ...mcpRequest(sqliteSession.access, toolsList),
          url: `http://127.0.0.1:${port}/mcp`,
          connections: MEMORY_CLIENTS,
        }),
      { mcp: child.pid, auth: auth.pid },
    );
    crowds.push({ label, idle, peak: peakRssMb(child.pid).peak, figures });
  }

  process.stderr.write("  6 version adapters: CPU per call, adapted and raw alternated\n");
  const adapters = await measureAdapters(DURATION >= 5 ? 7 : 3, DURATION >= 5 ? 20_000 : 2_000);

  const ratio = (a: Figures, b: Figures) => a.rps / b.rps;
  const lines = [
    `| scenario | req/s | p50 ms | p99 ms | errors |`,
    `|---|---:|---:|---:|---:|`,
    ...results.map((r) => `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.errors} |`),
    "",
    `| ratio (same run) | value | goal |`,
    `|---|---:|---|`,
    `| 1 MCP tools/list ÷ bare Koa | ${ratio(list, bare).toFixed(2)} (overhead ${Math.round((1 - ratio(list, bare)) * 100)}%) | overhead < 25% |`,
    `| 1 MCP tools/list ÷ bare Koa with the same body | ${ratio(list, bareLarge).toFixed(2)} (overhead ${Math.round((1 - ratio(list, bareLarge)) * 100)}%) | — |`,
    `| 2 whole stack ÷ direct odoo-await | ${ratio(stackCall, directCall).toFixed(2)} | ≥ 0.80 |`,
    `| 2 over JSON-2: whole stack ÷ direct JSON-2 | ${ratio(stackJson2, directJson2).toFixed(2)} | ≥ 0.80 |`,
    `| 2 JSON-2 ÷ XML-RPC, whole stack | ${ratio(stackJson2, stackCall).toFixed(2)} | — |`,
    `| 3 cache off ÷ cache on | ${ratio(noCache, stackCall).toFixed(2)} (the cache buys ×${ratio(stackCall, noCache).toFixed(2)}) | — |`,
    `| 4 SQLite ÷ in-memory refresh | ${ratio(sqliteRefresh, memoryRefresh).toFixed(2)} | ≥ 0.70 |`,
    ...crowds.map(
      (crowd) =>
        `| 5 MCP server RSS, ${MEMORY_CLIENTS} clients, ${crowd.label} | peak ${Math.round(crowd.peak)} MB (idle ${Math.round(crowd.idle)} MB) | < 150 MB |`,
    ),
    "",
    `| CPU per request, µs (all threads, /proc) | MCP server | auth server | Odoo 17 sim | Odoo 19 sim | driver |`,
    `|---|---:|---:|---:|---:|---:|`,
    ...results.map((r) => {
      const perProcess = cpu.get(r) ?? {};
      const cell = (name: string) => (name in perProcess ? Math.round(perProcess[name] ?? 0).toString() : "—");
      return `| ${r.name} | ${cell("mcp")} | ${cell("auth")} | ${cell("odoo 17")} | ${cell("odoo 19")} | ${cell("driver")} |`;
    }),
    "",
    `| 6 version adapters (CPU per call, same run) | raw µs | adapted µs | adapted ÷ raw |`,
    `|---|---:|---:|---:|`,
    ...adapters.map(
      (row) =>
        `| ${row.name} | ${row.raw.toFixed(1)} | ${row.adapted.toFixed(1)} | ${(row.adapted / row.raw).toFixed(2)} (${row.adapted >= row.raw ? "+" : "−"}${Math.abs(row.adapted - row.raw).toFixed(1)} µs) |`,
    ),
    "",
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}; ${DURATION}s per scenario, ${CONNECTIONS} connections (${MEMORY_CLIENTS} for 5).`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  stopAll();
  // Errors fail the run (the smoke run in CI relies on it); timeouts under the 1,000-client crowd are reported, not fatal.
  const crowdFigures = new Set(crowds.map((crowd) => crowd.figures));
  process.exit(results.some((r) => r.errors > 0 && !crowdFigures.has(r)) ? 1 : 0);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  stopAll();
  process.exit(1);
});
