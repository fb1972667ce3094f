/** The commands a person runs: `pnpm start` (the launcher) and a server on its own with a .env file. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FormBrowser } from "@odoo-mcp/testkit/browser";
import { callTool } from "@odoo-mcp/testkit/mcp";
import { chatgptClient, codeFlow } from "@odoo-mcp/testkit/oauth";
import { connectorTokens, startTestSystem } from "@odoo-mcp/testkit/system";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function collect(child: ChildProcess): { child: ChildProcess; output: () => string } {
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  return { child, output: () => output };
}

function run(entry: string, cwd: string, env: Record<string, string>) {
  return collect(
    spawn(process.execPath, ["--import", "tsx", join(root, entry)], {
      cwd: root,
      env: { ...process.env, INIT_CWD: cwd, ...env },
    }),
  );
}

/**
 * `pnpm start` as a person types it, from `cwd`, in a process group of its own so that a test can press
 * Ctrl-C as a terminal does: SIGINT to every process of the group (pnpm, the shell, the launcher).
 */
function pnpmStart(cwd: string, env: Record<string, string>) {
  return collect(spawn("pnpm", ["--dir", root, "start"], { cwd, env: { ...process.env, ...env }, detached: true }));
}

/** The lines a person reads, without the JSON log lines. */
const plainLines = (output: string) =>
  output
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("{"))
    .map((line) => line.trimEnd());

async function waitFor(check: () => boolean, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

describe("pnpm start", () => {
  it("starts the simulator, both servers and prints what to paste into ChatGPT; Ctrl-C stops it all", async () => {
    const dir = mkdtempSync(join(tmpdir(), "odoo-mcp-start-"));
    const [authPort, mcpPort, simPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const { child, output } = run("packages/launcher/src/main.ts", dir, {
      AUTH_PORT: String(authPort),
      MCP_PORT: String(mcpPort),
      ODOO_SIM_PORT: String(simPort),
    });
    try {
      await waitFor(() => output().includes("Ctrl-C stops everything."), "the banner");
      expect(output()).toContain(`MCP server (connector URL)   http://localhost:${mcpPort}/mcp   (`);
      expect(output()).toContain(`Authorization server         http://localhost:${authPort}`);
      expect(output()).toMatch(/Client secret \(shown once\)\s+\S{40,}/);
      expect(output()).toMatch(/Admin token \(shown once\)\s+\S{40,}/);
      expect(output()).toContain("admin / admin");
      // Odoo was asked at start: its version and the protocol the MCP server speaks to it.
      expect(output()).toContain("odoo-mcp is running\n");
      expect(output()).toMatch(/^ +Odoo 17\.0, spoken to over XML-RPC$/m);
      expect(await (await fetch(`http://127.0.0.1:${mcpPort}/ready`)).json()).toMatchObject({ status: "ready" });
      expect(statSync(join(dir, "data", "auth.sqlite")).mode & 0o777).toBe(0o600);
      // One process: its download-link key is kept in ./data with the other secrets, not regenerated.
      const secrets = join(dir, "data", "mcp-secrets.json");
      expect(statSync(secrets).mode & 0o777).toBe(0o600);
      expect((JSON.parse(readFileSync(secrets, "utf8")) as { downloadSecret: string }).downloadSecret).toMatch(
        /^[\w-]{43}$/,
      );
      expect(output()).not.toContain("download_secret_generated");
      // Each JSON log line names its program once, and which server wrote it.
      const logLines = output()
        .split("\n")
        .filter((line) => line.startsWith("{"));
      expect(logLines.length).toBeGreaterThan(0);
      expect(logLines.filter((line) => (line.match(/"name":/g) ?? []).length !== 1)).toEqual([]);
      expect(logLines.some((line) => line.includes('"service":"auth-server"'))).toBe(true);
      child.kill("SIGINT");
      expect(await exited(child)).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

describe("pnpm start, as a person runs it", () => {
  it("stops on Ctrl-C with exit status 0 and no failure from pnpm", async () => {
    const dir = mkdtempSync(join(tmpdir(), "odoo-mcp-ctrl-c-"));
    const { child, output } = pnpmStart(dir, { AUTH_PORT: "0", MCP_PORT: "0", ODOO_SIM_PORT: "0" });
    const exit = exited(child);
    try {
      await waitFor(() => output().includes("Ctrl-C stops everything."), "the banner", 60_000);
      process.kill(-(child.pid as number), "SIGINT");
      expect(await exit).toBe(0);
      expect(output()).not.toMatch(/ELIFECYCLE|ERR_PNPM|Command failed/);
      expect(statSync(join(dir, "data", "auth.sqlite")).isFile()).toBe(true);
    } finally {
      if (child.exitCode === null) process.kill(-(child.pid as number), "SIGKILL");
    }
  });

  it("refuses a bad variable with one line and exit status 78; pnpm adds only its own one-line note", async () => {
    const dir = mkdtempSync(join(tmpdir(), "odoo-mcp-bad-start-"));
    const { child, output } = pnpmStart(dir, { MCP_PORT: "http" });
    expect(await exited(child)).toBe(78);
    expect(plainLines(output())).toEqual([
      "$ exec node --import tsx packages/launcher/src/start.ts",
      'odoo-mcp: configuration error: MCP_PORT: expected a TCP port number (got "http")',
      // pnpm 12 reports every non-zero exit of a script with this line; no flag of `pnpm run` removes it.
      "[ELIFECYCLE] Command failed with exit code 78.",
    ]);
  });

  it("says at start, and at sign-in in English and Spanish, that Odoo cannot be reached at its address", async () => {
    const dir = mkdtempSync(join(tmpdir(), "odoo-mcp-no-odoo-"));
    const odooUrl = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    const { child, output } = run("packages/launcher/src/main.ts", dir, {
      ODOO_URL: odooUrl,
      AUTH_PORT: "0",
      MCP_PORT: "0",
    });
    try {
      await waitFor(() => output().includes("sign-in fails until Odoo answers"), "the Odoo line");
      expect(output()).toContain("odoo-mcp is running, but cannot reach Odoo (see the last line)");
      expect(plainLines(output()).at(-1)).toMatch(
        new RegExp(`^odoo-mcp: cannot reach Odoo at ${odooUrl}: .*ECONNREFUSED.* Check that Odoo is running there`),
      );
      const issuer = /Authorization server +(\S+)/.exec(output())?.[1] as string;
      const secret = /Client secret \(shown once\) (\S+)/.exec(output())?.[1] as string;
      const config = await chatgptClient(issuer, secret);
      for (const [language, words] of [
        ["en", `This server cannot reach Odoo at ${odooUrl}`],
        ["es", `Este servidor no puede contactar con Odoo en ${odooUrl}`],
      ] as const) {
        const failure = await codeFlow(config, { resource: null, browser: new FormBrowser(language) }).catch(
          (error: { pages: { status: number; html: string }[] }) => error,
        );
        const page = (failure as { pages: { status: number; html: string }[] }).pages.at(-1);
        expect(page?.status).toBe(503);
        expect(page?.html).toContain(words);
      }
    } finally {
      child.kill("SIGKILL");
    }
  });
});

describe("client registration under pnpm start", () => {
  /** Registers one client as mcp-remote does (a loopback callback, no secret); answers the status. */
  const register = async (issuer: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${issuer}/oauth/register`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({
        client_name: "MCP CLI Proxy",
        redirect_uris: ["http://127.0.0.1:7777/oauth/callback"],
        token_endpoint_auth_method: "none",
      }),
    });
    await response.body?.cancel();
    return { status: response.status, retryAfter: Number(response.headers.get("retry-after")) };
  };

  it("does not count this machine's own registrations, but counts those a tunnel relays", async () => {
    const system = await startTestSystem({ REGISTRATION_RATE_LIMIT: "3" });
    try {
      for (let attempt = 0; attempt < 6; attempt++) expect((await register(system.issuer)).status).toBe(201);
      // A tunnel or proxy on this machine relays someone else: the limit applies to what it relays.
      const relayed = { "x-forwarded-for": "203.0.113.7" };
      for (let attempt = 0; attempt < 3; attempt++) expect((await register(system.issuer, relayed)).status).toBe(201);
      const refused = await register(system.issuer, relayed);
      expect(refused.status).toBe(429);
      expect(refused.retryAfter).toBeGreaterThan(0);
    } finally {
      await system.close();
    }
  });

  it("keeps the limit for loopback when told to, and in production", async () => {
    const settings: Record<string, string>[] = [{ REGISTRATION_LIMIT_LOOPBACK: "true" }, { NODE_ENV: "production" }];
    for (const env of settings) {
      const system = await startTestSystem({ REGISTRATION_RATE_LIMIT: "2", ...env });
      try {
        const statuses = [];
        for (let attempt = 0; attempt < 3; attempt++) statuses.push((await register(system.issuer)).status);
        expect({ env, statuses }).toEqual({ env, statuses: [201, 201, 429] });
      } finally {
        await system.close();
      }
    }
  });

  it("refuses to turn the loopback exemption on in production", async () => {
    await expect(startTestSystem({ NODE_ENV: "production", REGISTRATION_LIMIT_LOOPBACK: "false" })).rejects.toThrow(
      "REGISTRATION_LIMIT_LOOPBACK: is for development only and is refused when NODE_ENV is production; unset it",
    );
  });
});

describe("the logs", () => {
  it("name a person by their Odoo login", async () => {
    const system = await startTestSystem();
    try {
      const { tokens } = await connectorTokens(system, { login: "demo", password: "demo" });
      const call = await callTool(system.mcpUrl, tokens.access_token, "odoo_count_records", { model: "res.partner" });
      expect(call.status).toBe(200);
      const line = (event: string) => system.logs.find((entry) => entry.event === event);
      expect(line("oauth_token_issued")).toMatchObject({ login: "demo" });
      expect(line("mcp_tool_called")).toMatchObject({ login: "demo", tool: "odoo_count_records", outcome: "ok" });
    } finally {
      await system.close();
    }
  });
});

describe("a server on its own", () => {
  it("reads .env from where it is started and stops on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "odoo-mcp-env-"));
    const port = await freePort();
    writeFileSync(
      join(dir, ".env"),
      `AUTH_PORT=${port}\nAUTH_HOST=127.0.0.1\nAUTH_SQLITE_PATH=./state/auth.sqlite\nADMIN_TOKEN=from-dot-env-0123456789abcdef\n`,
    );
    const { child, output } = run("packages/auth-server/src/main.ts", dir, {});
    try {
      await waitFor(() => output().includes("auth_server_started"), "the auth server");
      const credentials = await fetch(`http://127.0.0.1:${port}/oauth/credentials`, {
        headers: { authorization: "Bearer from-dot-env-0123456789abcdef" },
      });
      expect(credentials.status).toBe(200);
      expect(statSync(join(dir, "state", "auth.sqlite")).isFile()).toBe(true);
      child.kill("SIGTERM");
      expect(await exited(child)).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("stops with one clear line per bad variable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "odoo-mcp-bad-"));
    const { child, output } = run("packages/mcp-server/src/main.ts", dir, {
      MCP_PORT: "http",
      MCP_CLIENT_ID: "",
      MCP_CLIENT_SECRET: "short",
    });
    expect(await exited(child)).toBe(78);
    expect(output().trim().split("\n")).toEqual([
      'mcp-server: configuration error: MCP_PORT: expected a TCP port number (got "http")',
      "mcp-server: configuration error: MCP_CLIENT_ID: required, but it is not set",
      "mcp-server: configuration error: MCP_CLIENT_SECRET: expected at least 32 characters (got 5 characters)",
    ]);
  });
});
