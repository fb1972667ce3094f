/**
 * Security review, round three: each attack reproduced against the real authorization server, and shown
 * to fail. Refresh rotation and token storage, which run on every storage engine, are in
 * token-storage.test.ts.
 */
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { tempSqlitePath } from "@odoo-mcp/testkit/auth";
import { describe, expect, it } from "vitest";

/** Runs the auth server's own entry point until it exits or writes `until` (20 s at most); answers what it printed. */
function runAuthServer(env: Record<string, string>, until?: string) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "packages/auth-server/src/main.ts"], {
      env: { ...process.env, AUTH_PORT: "0", AUTH_SQLITE_PATH: tempSqlitePath(), ...env },
    });
    let [stdout, stderr] = ["", ""];
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (until && stdout.includes(until)) child.kill("SIGTERM");
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe("configuration errors keep keys and passwords to themselves (item 10)", () => {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" });
  const privateMembers = [jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi] as string[];

  it("names what is wrong with a malformed AUTH_JWKS in one line, without any key material", async () => {
    for (const keys of [
      // oidc-provider refuses a key missing members by attaching the whole key, private members included.
      [{ kty: "RSA", n: jwk.n, e: jwk.e, d: jwk.d, p: jwk.p, q: jwk.q }],
      [{ ...jwk, n: "AQAB" }],
      [{ kty: "oct", k: jwk.d }],
      [jwk.d],
    ]) {
      const { status, stderr } = await runAuthServer({
        AUTH_JWKS: JSON.stringify({ keys }),
        ODOO_URL: "http://admin:hunter2-in-odoo-url@127.0.0.1:1",
      });
      expect(status).toBe(78);
      const lines = stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^auth-server: configuration error: AUTH_JWKS: (key 1|expected)/);
      for (const secret of [...privateMembers, "hunter2"]) expect(stderr).not.toContain(secret.slice(0, 16));
    }
  }, 60_000);

  it("never shows the password of a URL with user:pass@, neither refused nor in the logs", async () => {
    const refused = await runAuthServer({ AUTH_ISSUER: "https://operator:hunter2-in-issuer@auth.example.com/x" });
    expect(refused.status).toBe(78);
    expect(refused.stderr.trim()).toBe(
      'auth-server: configuration error: AUTH_ISSUER: expected the public origin with no path, e.g. https://auth.example.com (got "https://***@auth.example.com/x")',
    );
    const started = await runAuthServer(
      { ODOO_URL: "http://admin:hunter2-in-odoo-url@127.0.0.1:1", LOG_LEVEL: "debug" },
      "auth_server_started",
    );
    expect(started.stdout).toContain('"odoo":"http://***@127.0.0.1:1"');
    expect(started.stdout + started.stderr).not.toContain("hunter2");
  }, 60_000);
});
