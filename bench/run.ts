/**
 * `pnpm bench`: load benchmarks on loopback against the real servers, each in its own process, printed
 * as one table with the ratios measured in this same run. BENCH_DURATION (seconds per scenario, default
 * 10) and BENCH_CONNECTIONS (default 50) tune it; BENCH_DURATION=1 is the quick smoke run CI does.
 * The goals table divides CPU per request of the same run; scenario 5 runs the MCP server's own
 * production bundle with deploy/Dockerfile's NODE_OPTIONS. `BENCH_AB=<name>` (or `-- --ab <name>`) runs
 * only a short in-process A/B instead (ab.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { createServer } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_USERS } from "@odoo-mcp/odoo-sim";
import autocannon from "autocannon";
import Odoo from "odoo-await";
import * as oauth from "openid-client";
import { bundle, bundleMcpServer } from "../scripts/bundle.js";
import { abTable, runAb } from "./ab.js";
import { measureAdapters } from "./adapters.js";
import { cpuPerRequest, cpuSnapshot, type Processes } from "./cpu.js";
import { UNLIMITED_CALLER } from "./load-env.js";

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const MEMORY_CLIENTS = Number(process.env.BENCH_MEMORY_CLIENTS ?? 1000);
const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
const METRICS_TOKEN = "bench-metrics-token-0123456789abcdef";
/** The MCP server's default INTROSPECTION_CACHE_TTL (packages/mcp-server/src/config.ts), in seconds. */
const INTROSPECTION_CACHE_TTL = 60;
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
  /** The slowest answer, ms. */
  max: number;
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

function startRole(role: string, env: Record<string, string>): Promise<{ pid: number; url?: string }> {
  const child = spawn(process.execPath, [SERVERS, role], {
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
  // autocannon's `errors` already counts its timeouts.
  const errors = result.errors + result.non2xx;
  if (errors)
    process.stderr.write(`  ${name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx\n`);
  return {
    name,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
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
  return {
    name,
    requests: latencies.length,
    rps: latencies.length / DURATION,
    p50: at(0.5),
    p99: at(0.99),
    max: Math.round(latencies.at(-1) ?? 0),
    errors,
  };
}

/** The direct baseline over JSON-2: a node:http client (keep-alive), the same query, CONNECTIONS in flight. */
async function directJson2Call(name: string, odooUrl: string): Promise<Figures> {
  const body = JSON.stringify({ domain: [["customer_rank", ">", 0]], fields: ["name", "email"], limit: 5 });
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const url = new URL(`${odooUrl}/json/2/res.partner/search_read`);
  const call = () =>
    new Promise<boolean>((resolve) => {
      const req = httpRequest(
        url,
        {
          method: "POST",
          agent,
          headers: { authorization: `bearer ${ADMIN_API_KEY}`, "content-type": "application/json" },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            JSON.parse(Buffer.concat(chunks).toString()); // a client uses the answer
            resolve(res.statusCode === 200);
          });
          res.on("error", () => resolve(false));
        },
      );
      req.on("error", () => resolve(false));
      req.end(body);
    });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + DURATION * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      if (await call()) latencies.push(performance.now() - started);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  agent.destroy();
  return figuresOf(name, latencies, errors);
}

/** Requests the auth server has answered at its introspection endpoint so far (its /metrics). */
async function introspections(authUrl: string): Promise<number> {
  const text = await (
    await fetch(`${authUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  let count = 0;
  for (const line of text.split("\n"))
    if (line.startsWith("http_request_duration_seconds_count{") && /route="[^"]*introspect/.test(line))
      count += Number(line.slice(line.lastIndexOf(" ") + 1));
  return count;
}

/** The MCP server's own production bundle (what `pnpm build` makes of packages/mcp-server/src/main.ts). */
const MCP_BUNDLE = join(import.meta.dirname, "dist", "mcp-server", "dist", "main.mjs");
/** The mcp-server image's NODE_OPTIONS, read from deploy/Dockerfile so the bench follows it. */
function productionNodeOptions(): string {
  const dockerfile = readFileSync(join(import.meta.dirname, "..", "deploy", "Dockerfile"), "utf8");
  const stage = dockerfile.slice(dockerfile.indexOf("AS mcp-server"));
  const options = /ENV NODE_OPTIONS="([^"]*)"/.exec(stage)?.[1];
  if (options === undefined) throw new Error("deploy/Dockerfile: no NODE_OPTIONS in the mcp-server stage");
  return options;
}

/** Starts the bundle as the image runs it (`node --enable-source-maps`, NODE_ENV=production), ready on /health. */
async function startMcpBundle(
  env: Record<string, string>,
  nodeOptions: string,
): Promise<{ port: number; pid: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--enable-source-maps", MCP_BUNDLE], {
    cwd: mkdtempSync(join(tmpdir(), "odoo-mcp-bench-")), // no developer .env
    env: {
      ...process.env,
      ...env,
      NODE_ENV: "production",
      NODE_OPTIONS: nodeOptions,
      MCP_PORT: String(port),
      MCP_HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  let exited: number | null | undefined;
  child.once("exit", (code) => {
    exited = code;
  });
  for (let waited = 0; waited < 20_000; waited += 100) {
    if (exited !== undefined) throw new Error(`the MCP server bundle exited with ${exited}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return { port, pid: child.pid as number };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the MCP server bundle did not answer /health within 20 s");
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

async function abMain(name: string) {
  const rounds = DURATION >= 5 ? 9 : 5;
  const requests = DURATION >= 5 ? 4_000 : 1_000;
  process.stderr.write(`A/B ${name}: ${rounds} rounds, variant and base alternated in this process\n`);
  process.stdout.write(`${abTable(name, rounds, await runAb(name, rounds, requests))}\n`);
}

async function main() {
  await Promise.all([
    bundle(join(import.meta.dirname, "servers.ts"), SERVERS, import.meta.dirname),
    // The MCP server's own production bundle (scenario 5): its dependencies resolve from bench/node_modules.
    bundleMcpServer(MCP_BUNDLE),
  ]);
  const [authPort, authMemoryPort, mcpPort, noCachePort, barePort, json2Port] = await Promise.all(
    Array.from({ length: 6 }, freePort),
  );
  const odoo = await startRole("odoo", {});
  const odoo19 = await startRole("odoo", { ODOO_SIM_VERSION: "19.0" });
  const mcpUrl = `http://127.0.0.1:${mcpPort}/mcp`;
  // One service account for every call, as the figures before have been measured (user mode opens a client per person).
  const shared = {
    ...MCP_CLIENT,
    ODOO_URL: odoo.url as string,
    MCP_RESOURCE_URL: mcpUrl,
    ADMIN_TOKEN,
    ODOO_AUTH_MODE: "service",
    ODOO_SERVICE_WRITES: "true",
  };
  const auth = await startRole("auth", {
    ...shared,
    METRICS_TOKEN,
    AUTH_PORT: String(authPort),
    AUTH_MEMORY_PORT: String(authMemoryPort),
    AUTH_SQLITE_PATH: join(mkdtempSync(join(tmpdir(), "odoo-mcp-bench-")), "auth.sqlite"),
  });
  const authUrl = `http://127.0.0.1:${authPort}`;
  const mcpEnv = { ...shared, ...UNLIMITED_CALLER, AUTH_ISSUER: authUrl };
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

  /** A fresh access token from the refresh grant: no introspection of it is cached anywhere yet. */
  const freshAccess = async () =>
    (
      (await (
        await fetch(`${authUrl}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: refresh(authUrl, sqliteSession).body as string,
        })
      ).json()) as { access_token: string }
    ).access_token;

  // The bare baselines of the tool calls send the MCP server's own answer, byte for byte.
  for (const [name, url] of [
    ["xmlrpc", mcpUrl],
    ["json2", `http://127.0.0.1:${json2Port}/mcp`],
  ] as const) {
    const answer = await fetch(url, mcpRequest(sqliteSession.access, searchRead) as RequestInit);
    if (!answer.ok) throw new Error(`tools/call on ${url}: ${answer.status}`);
    await fetch(`http://127.0.0.1:${barePort}/answer/${name}`, { method: "PUT", body: await answer.text() });
  }

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
    load("1b bare Koa, the same body as tools/list", { url: `http://127.0.0.1:${barePort}/tools` }),
  );
  const list = await run(() =>
    load("1c MCP tools/list, bearer on a cache hit", { ...mcpRequest(sqliteSession.access, toolsList), url: mcpUrl }),
  );
  const bareCall = await run(() =>
    load("1d bare Koa, the same body as 2b's search_read answer", {
      ...mcpRequest(sqliteSession.access, searchRead),
      url: `http://127.0.0.1:${barePort}/answer/xmlrpc`,
    }),
  );
  const bareJson2 = await run(() =>
    load("1e bare Koa, the same body as 2d's search_read answer", {
      ...mcpRequest(sqliteSession.access, searchRead),
      url: `http://127.0.0.1:${barePort}/answer/json2`,
    }),
  );
  const directCall = await run(() => direct("2a odoo-await straight to odoo-sim (search_read)", odoo.url as string));
  // A token no cache holds yet, so the auth server's count is the introspections this scenario needed.
  const callToken = await freshAccess();
  const introspectedBefore = await introspections(authUrl);
  const stackCall = await run(() =>
    load("2b tools/call odoo_search_read_records, whole stack", {
      ...mcpRequest(callToken, searchRead),
      url: mcpUrl,
    }),
  );
  const introspected = (await introspections(authUrl)) - introspectedBefore;
  const directJson2 = await run(() =>
    directJson2Call("2c JSON-2 straight to odoo-sim 19 (search_read, node:http client)", odoo19.url as string),
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

  // 5: the MCP server's production bundle alone, once with V8's default heap sizing, once with the
  // image's NODE_OPTIONS (deploy/Dockerfile).
  const crowds: { label: string; idle: number; peak: number; figures: Figures }[] = [];
  const production = productionNodeOptions();
  for (const [label, nodeOptions] of [
    ["default heap", ""],
    [production, production],
  ] as const) {
    const child = await startMcpBundle(mcpEnv, nodeOptions);
    const port = child.port;
    // Idle once start-up has settled (module compilation and the first collections take about a second).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idle = peakRssMb(child.pid).now;
    const figures = await run(
      () =>
        load(`5  production bundle, tools/list from ${MEMORY_CLIENTS} concurrent clients, ${label}`, {
          ...mcpRequest(sqliteSession.access, toolsList),
          url: `http://127.0.0.1:${port}/mcp`,
          connections: MEMORY_CLIENTS,
          // A thousand connections from one driver on two shared cores leave a few of them unread for
          // about the run's length, a bare Koa endpoint as much as this server: they are answered, late,
          // so they count in the slowest answer, not as errors.
          timeout: 30,
        }),
      { mcp: child.pid, auth: auth.pid },
    );
    crowds.push({ label, idle, peak: peakRssMb(child.pid).peak, figures });
    process.kill(child.pid, "SIGKILL");
  }
  // The same crowd on the bare Koa endpoint with the same body: what the driver itself does to 1,000
  // connections (the stragglers it leaves unread are its own).
  const bareCrowd = await run(() =>
    load(`5  bare Koa, the same tools/list body, ${MEMORY_CLIENTS} concurrent clients`, {
      url: `http://127.0.0.1:${barePort}/tools`,
      connections: MEMORY_CLIENTS,
      timeout: 30,
    }),
  );

  process.stderr.write("  6 version adapters: CPU per call, adapted and raw alternated\n");
  const adapters = await measureAdapters(DURATION >= 5 ? 7 : 3, DURATION >= 5 ? 20_000 : 2_000);

  const ratio = (a: Figures, b: Figures) => a.rps / b.rps;
  const cpuOf = (figures: Figures, name: string) => cpu.get(figures)?.[name] ?? Number.NaN;
  const us = (value: number) => `${Math.round(value)} µs`;
  const toolsListCpu = cpuOf(list, "mcp") / cpuOf(bareLarge, "mcp");
  const callBase = cpuOf(directCall, "driver") + cpuOf(bareCall, "mcp");
  const json2Base = cpuOf(directJson2, "driver") + cpuOf(bareJson2, "mcp");
  const lifetimes = Math.max(1, Math.ceil(DURATION / INTROSPECTION_CACHE_TTL));
  type Goal = [goal: string, measured: string, met: boolean | undefined];
  const goals: Goal[] = [
    [
      "tools/list: MCP CPU ÷ bare Koa with the same body ≤ 0.8",
      `${toolsListCpu.toFixed(2)} (${us(cpuOf(list, "mcp"))} ÷ ${us(cpuOf(bareLarge, "mcp"))})`,
      toolsListCpu <= 0.8,
    ],
    [
      "search_read: MCP CPU ÷ (odoo-await client + bare Koa, same answer) ≤ 1.0 (≤ 1.25 with odoo-await selected)",
      `${(cpuOf(stackCall, "mcp") / callBase).toFixed(2)} (${us(cpuOf(stackCall, "mcp"))} ÷ (${us(cpuOf(directCall, "driver"))} + ${us(cpuOf(bareCall, "mcp"))}))`,
      cpuOf(stackCall, "mcp") / callBase <= 1.0,
    ],
    [
      "JSON-2: MCP CPU ÷ (node:http JSON-2 client + bare Koa, same answer) ≤ 1.25",
      `${(cpuOf(stackJson2, "mcp") / json2Base).toFixed(2)} (${us(cpuOf(stackJson2, "mcp"))} ÷ (${us(cpuOf(directJson2, "driver"))} + ${us(cpuOf(bareJson2, "mcp"))}))`,
      cpuOf(stackJson2, "mcp") / json2Base <= 1.25,
    ],
    [
      `introspections per token per cache lifetime (${INTROSPECTION_CACHE_TTL} s), ${CONNECTIONS} concurrent requests (2b, auth /metrics) ≤ 1`,
      `${introspected / lifetimes} (${introspected} for ${stackCall.requests} requests, 1 token, ${lifetimes} lifetime${lifetimes > 1 ? "s" : ""})`,
      introspected / lifetimes <= 1,
    ],
    [
      "whole stack ÷ direct client, XML-RPC (req/s)",
      `${ratio(stackCall, directCall).toFixed(2)}: MCP ${us(cpuOf(stackCall, "mcp"))} + Odoo ${us(cpuOf(stackCall, "odoo 17"))} per request vs client ${us(cpuOf(directCall, "driver"))} + Odoo ${us(cpuOf(directCall, "odoo 17"))}`,
      undefined,
    ],
    [
      "whole stack ÷ direct client, JSON-2 (req/s)",
      `${ratio(stackJson2, directJson2).toFixed(2)}: MCP ${us(cpuOf(stackJson2, "mcp"))} + Odoo ${us(cpuOf(stackJson2, "odoo 19"))} per request vs client ${us(cpuOf(directJson2, "driver"))} + Odoo ${us(cpuOf(directJson2, "odoo 19"))}`,
      undefined,
    ],
    // The goal is the image's flags; V8's default sizing is shown beside it for the CPU the heap cap costs.
    ...crowds.flatMap((crowd, index): Goal[] => {
      const production = index === crowds.length - 1;
      const capCost = cpuOf(crowd.figures, "mcp") / cpuOf((crowds[0] as (typeof crowds)[0]).figures, "mcp");
      return [
        [
          `production bundle idle RSS, ${crowd.label}${production ? " ≤ 90 MB" : ""}`,
          `${Math.round(crowd.idle)} MB`,
          production ? crowd.idle <= 90 : undefined,
        ],
        [
          `production bundle peak RSS at ${MEMORY_CLIENTS} clients, ${crowd.label}${production ? " ≤ 150 MB, 0 errors" : ""}`,
          `${Math.round(crowd.peak)} MB, ${crowd.figures.errors} errors (slowest ${(crowd.figures.max / 1000).toFixed(1)} s), MCP ${us(cpuOf(crowd.figures, "mcp"))} per request` +
            (production && index > 0 ? ` (×${capCost.toFixed(2)} the CPU per request of the default heap)` : ""),
          production ? crowd.peak <= 150 && crowd.figures.errors === 0 : undefined,
        ],
        ...(production
          ? [
              [
                `the same crowd on bare Koa with the same body (the driver's own stragglers)`,
                `${bareCrowd.errors} errors (slowest ${(bareCrowd.max / 1000).toFixed(1)} s)`,
                undefined,
              ] as Goal,
            ]
          : []),
      ];
    }),
  ];
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
    "",
    `| goal (CPU per request of this run) | measured | |`,
    `|---|---|---|`,
    ...goals.map(
      ([goal, measured, met]) => `| ${goal} | ${measured} | ${met === undefined ? "—" : met ? "met" : "missed"} |`,
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

const abFlag = process.argv.indexOf("--ab");
const abName = process.env.BENCH_AB || (abFlag >= 0 ? process.argv[abFlag + 1] : undefined);
(abName ? abMain(abName).then(() => process.exit(0)) : main()).catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
  stopAll();
  process.exit(1);
});
