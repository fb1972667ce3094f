/** The commands a person runs: `pnpm start` (the launcher) and a server on its own with a .env file. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

function run(entry: string, cwd: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", join(root, entry)], {
    cwd: root,
    env: { ...process.env, INIT_CWD: cwd, ...env },
  });
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  return { child, output: () => output };
}

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
      expect(await (await fetch(`http://127.0.0.1:${mcpPort}/ready`)).json()).toMatchObject({ status: "ready" });
      expect(statSync(join(dir, "data", "auth.sqlite")).mode & 0o777).toBe(0o600);
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
