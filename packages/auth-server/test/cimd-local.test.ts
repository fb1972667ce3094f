/**
 * Client ID Metadata Documents served on this machine (issue 20, item 8), through oidc-provider's real,
 * SSRF-protected fetch: the auth server runs as `pnpm start` runs it, in its own process, trusting the
 * test's certificate as a developer trusts theirs (NODE_EXTRA_CA_CERTS), and fetches an https document
 * from a loopback server. Refused unless its host is in CIMD_ALLOWED_LOCAL_HOSTS, with the cause in the
 * log; accepted when listed; the setting refused in production.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OdooSim, startOdooSim } from "@odoo-mcp/odoo-sim";
import { MCP_CLIENT, MCP_RESOURCE, SERVICE_ACCOUNT_WRITES } from "@odoo-mcp/testkit/auth";
import { codeFlow, discover, exchange } from "@odoo-mcp/testkit/oauth";
import { freePort } from "@odoo-mcp/testkit/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const packageRoot = new URL("..", import.meta.url).pathname;
const REDIRECT = "http://127.0.0.1:8976/callback";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

interface AuthProcess {
  url: string;
  logs: Record<string, unknown>[];
  child: ChildProcess;
}

const children: ChildProcess[] = [];
let directory: string;
let documents: Server;
let documentPort: number;
let sim: OdooSim;

/** A certificate for localhost and 127.0.0.1 that the auth server's process is told to trust. */
function makeCertificate(dir: string) {
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"],
      ...["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")],
      ...["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"],
    ],
    { stdio: "ignore" },
  );
  return { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) };
}

/** The document a client publishes at `url`: its client_id is that very URL. */
const documentFor = (url: string) => ({
  client_id: url,
  client_name: "Local MCP Client",
  redirect_uris: [REDIRECT],
  token_endpoint_auth_method: "none",
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
});

function serveDocuments(tls: { key: Buffer; cert: Buffer }): Promise<Server> {
  const server = createServer(tls, (request, response) => {
    const url = `https://${request.headers.host}${request.url}`;
    if (request.url === "/client.json") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(documentFor(url)));
    } else if (request.url === "/broken.json") {
      response.writeHead(200, { "content-type": "application/json" }).end("{ not json");
    } else response.writeHead(404).end();
  });
  // Both loopback families, whichever `localhost` resolves to; IPv4 alone where IPv6 is off.
  return new Promise((resolve) => {
    server.once("error", () => server.listen(0, "127.0.0.1", () => resolve(server)));
    server.listen(0, "::", () => resolve(server));
  });
}

function authEnv(port: number, env: Record<string, string>): Record<string, string> {
  return {
    AUTH_PORT: String(port),
    AUTH_HOST: "127.0.0.1",
    AUTH_ISSUER: `http://127.0.0.1:${port}`,
    ODOO_URL: sim.url,
    ODOO_DB: sim.db,
    AUTH_SQLITE_PATH: join(mkdtempSync(join(directory, "auth-")), "auth.sqlite"),
    MCP_CLIENT_ID: MCP_CLIENT.id,
    MCP_CLIENT_SECRET: MCP_CLIENT.secret,
    MCP_RESOURCE_URL: MCP_RESOURCE,
    NODE_EXTRA_CA_CERTS: join(directory, "cert.pem"),
    LOG_LEVEL: "info",
    ...SERVICE_ACCOUNT_WRITES,
    ...env,
  };
}

function spawnAuth(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", join(packageRoot, "src/main.ts")], {
    cwd: packageRoot,
    env: { ...process.env, NODE_ENV: "development", ...env },
  });
  children.push(child);
  return child;
}

/** The auth server in its own process, once it says it listens; its JSON log lines are kept. */
async function startAuthProcess(env: Record<string, string>): Promise<AuthProcess> {
  const port = await freePort();
  const child = spawnAuth(authEnv(port, env));
  const logs: Record<string, unknown>[] = [];
  await new Promise<void>((resolve, reject) => {
    let pending = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines.filter((text) => text.startsWith("{"))) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.event === "auth_server_started") resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`the auth server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, logs, child };
}

/** The first step of an authorization request from `clientId`, as a browser would open it. */
function authorize(auth: AuthProcess, clientId: string) {
  const url = new URL(`${auth.url}/oauth/authorize`);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: "code",
    redirect_uri: REDIRECT,
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
    scope: "odoo:read",
  }).toString();
  return fetch(url, { redirect: "manual" });
}

/**
 * The log line of the authorization request from `clientId` that was refused. The child writes it to its
 * stdout around the time it answers, so it may reach this process a little after the response: wait for it.
 */
async function refusal(auth: AuthProcess, clientId: string): Promise<Record<string, unknown> | undefined> {
  const find = () =>
    auth.logs.findLast((line) => line.event === "oauth_request_refused" && line.client_id === clientId);
  for (let waited = 0; !find() && waited < 3_000; waited += 25) await new Promise((resolve) => setTimeout(resolve, 25));
  return find();
}

let byDefault: AuthProcess;
let listed: AuthProcess;
beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "odoo-mcp-cimd-"));
  const tls = makeCertificate(directory);
  documents = await serveDocuments(tls);
  documentPort = (documents.address() as AddressInfo).port;
  sim = await startOdooSim();
  [byDefault, listed] = await Promise.all([
    startAuthProcess({}),
    startAuthProcess({ CIMD_ALLOWED_LOCAL_HOSTS: `localhost:${documentPort}` }),
  ]);
}, 60_000);
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  documents?.closeAllConnections();
  documents?.close();
  await sim?.close();
});

describe("a Client ID Metadata Document on a loopback host", () => {
  it("is refused by default, and the log says it was refused as a loopback address", async () => {
    const clientId = `https://localhost:${documentPort}/client.json`;
    const response = await authorize(byDefault, clientId);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain("invalid_client");
    // The requester learns nothing about what answers inside the network: the cause is in the log only.
    expect(page).not.toContain("special-use");
    expect(await refusal(byDefault, clientId)).toMatchObject({
      description: "client_id metadata document fetch failed",
      cause: expect.stringContaining("hostname resolves to a special-use IP address"),
    });
    expect(String((await refusal(byDefault, clientId))?.cause)).toContain("CIMD_ALLOWED_LOCAL_HOSTS");
  });

  it("is accepted when its host is listed: the whole code flow with PKCE runs through it", async () => {
    const clientId = `https://localhost:${documentPort}/client.json`;
    const config = await discover(listed.url, clientId);
    const flow = await codeFlow(config, { redirectUri: REDIRECT, scope: "odoo:read", extra: { prompt: "consent" } });
    expect(flow.pages.find((page) => page.kind === "consent")?.html).toContain("Local MCP Client");
    const tokens = await exchange(config, flow);
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.scope).toBe("odoo:read");
  });

  it("keeps refusing every host not listed, the same server under another name included", async () => {
    const clientId = `https://127.0.0.1:${documentPort}/client.json`;
    expect((await authorize(listed, clientId)).status).toBe(400);
    expect(String((await refusal(listed, clientId))?.cause)).toContain("special-use IP address");
  });

  it("logs why a listed document could not be used: its status, or JSON that does not parse", async () => {
    const missing = `https://localhost:${documentPort}/missing.json`;
    expect((await authorize(listed, missing)).status).toBe(400);
    expect((await refusal(listed, missing))?.cause).toBe("unexpected response status 404");
    const broken = `https://localhost:${documentPort}/broken.json`;
    expect((await authorize(listed, broken)).status).toBe(400);
    expect(String((await refusal(listed, broken))?.cause)).toMatch(/^the document is not valid JSON \(.+\)$/);
  });
});

describe("CIMD_ALLOWED_LOCAL_HOSTS in production", () => {
  it("stops the server at start-up with one configuration error line", async () => {
    const child = spawnAuth({
      ...authEnv(await freePort(), { CIMD_ALLOWED_LOCAL_HOSTS: "localhost:8443" }),
      NODE_ENV: "production",
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(78);
    // (On an older Node, oidc-provider also warns about the runtime: not a configuration line.)
    expect(stderr.split("\n").filter((line) => line.startsWith("auth-server:"))).toEqual([
      'auth-server: configuration error: CIMD_ALLOWED_LOCAL_HOSTS: is for development only and is refused when NODE_ENV is production; unset it (got "localhost:8443")',
    ]);
  });
});
