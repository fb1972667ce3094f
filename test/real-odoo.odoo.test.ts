/**
 * `pnpm real-odoo <version>` as a person runs it (`pnpm test:odoo` only): one line of JSON on standard
 * output once Odoo answers, the users' credentials working, and everything stopped on SIGTERM.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { MissingPackagesError } from "@odoo-mcp/testkit/real-odoo";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;

describe("pnpm real-odoo", () => {
  it("prints one line of JSON, serves the demo database to its users, and stops on SIGTERM", async () => {
    // Its own process group, signalled whole as a terminal's Ctrl-C would be.
    const child = spawn("pnpm", ["real-odoo", "19.0"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const lines: string[] = [];
    const first = new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on("line", (line) => {
        lines.push(line);
        resolve(line);
      });
      child.once("exit", (code) => reject(new Error(`pnpm real-odoo exited with ${code}`)));
    });
    const announced = JSON.parse(await first) as {
      version: string;
      url: string;
      db: string;
      users: { login: string; password: string; apiKey: string }[];
    };
    expect(announced.version).toMatch(/^19\.0/);
    expect(announced.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(announced.users.map((user) => user.login)).toEqual(["admin", "demo", "clerk"]);
    for (const user of announced.users) expect(user.apiKey).toMatch(/^[0-9a-f]{40}$/);
    // The password signs in through the web session; the API key answers over JSON-2.
    const session = await fetch(`${announced.url}/web/session/authenticate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        method: "call",
        params: { db: announced.db, login: "clerk", password: "clerk" },
      }),
    });
    expect(((await session.json()) as { result?: { uid?: number } }).result?.uid).toEqual(expect.any(Number));
    const admin = announced.users[0] as { apiKey: string };
    const count = await fetch(`${announced.url}/json/2/res.partner/search_count`, {
      method: "POST",
      headers: {
        authorization: `bearer ${admin.apiKey}`,
        "x-odoo-database": announced.db,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        domain: [
          ["country_id.code", "=", "ES"],
          ["customer_rank", ">", 0],
        ],
      }),
    });
    expect(await count.json()).toBeGreaterThanOrEqual(10);

    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    process.kill(-(child.pid as number), "SIGTERM");
    await exited;
    expect(lines).toHaveLength(1);
    await expect(fetch(`${announced.url}/web/webclient/version_info`)).rejects.toThrow();
  });

  it("names missing Debian packages in one line with the command that installs them", () => {
    const error = new MissingPackagesError(["python3-lxml", "wkhtmltopdf"]);
    expect(error.message).toBe(
      "Real Odoo needs Debian packages that are not installed: apt-get install -y --no-install-recommends python3-lxml wkhtmltopdf",
    );
    expect(error.message).not.toContain("\n");
  });
});
