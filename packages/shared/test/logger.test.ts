import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ALL_SCOPES, createLogger, fingerprint, parseScope, SCOPES } from "../src/index.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ name: "test", destination }) };
}

describe("logger", () => {
  it("writes JSON lines with name, level label, time and the event field", () => {
    const { lines, logger } = capture();
    logger.info({ event: "oauth_token_issued", client_id: "chatgpt-odoo-mcp" }, "token issued");
    expect(lines[0]).toMatchObject({
      level: "info",
      name: "test",
      event: "oauth_token_issued",
      client_id: "chatgpt-odoo-mcp",
      msg: "token issued",
    });
    expect(String(lines[0]?.time)).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("writes URLs without their user name and password, in any field, message or error", () => {
    const { lines, logger } = capture();
    logger.info({ event: "auth_server_started", odoo: "http://admin:hunter2@odoo.example.com:8069" });
    logger.error({ event: "storage_failed", err: new Error("no route to postgres://app:s3cret@db:5432/auth") });
    const text = JSON.stringify(lines);
    for (const secret of ["hunter2", "s3cret", "admin:", "app:"]) expect(text).not.toContain(secret);
    expect(lines[0]?.odoo).toBe("http://***@odoo.example.com:8069");
    expect(lines[1]?.err).toMatchObject({ message: "no route to postgres://***@db:5432/auth" });
  });

  it("redacts passwords, secrets, tokens and credentials headers, top level and one level down", () => {
    const { lines, logger } = capture();
    logger.info({
      event: "probe",
      password: "hunter2",
      client_secret: "s3cr3t",
      access_token: "at-123",
      body: { refresh_token: "rt-456", api_key: "k", username: "admin" },
      req: { headers: { authorization: "Bearer abc", cookie: "sid=1", host: "localhost" } },
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of ["hunter2", "s3cr3t", "at-123", "rt-456", "Bearer abc", "sid=1"])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ body: { username: "admin" }, req: { headers: { host: "localhost" } } });
  });

  it("fingerprints a secret with a short one-way label", () => {
    expect(fingerprint("token-value")).toMatch(/^[0-9a-f]{12}$/);
    expect(fingerprint("token-value")).toBe(fingerprint("token-value"));
    expect(fingerprint("token-value")).not.toBe(fingerprint("token-valuE"));
  });
});

describe("scopes", () => {
  it("names odoo:read and odoo:write and parses scope strings", () => {
    expect(ALL_SCOPES).toEqual(["odoo:read", "odoo:write"]);
    expect(SCOPES.write).toBe("odoo:write");
    expect([...parseScope("odoo:read  odoo:write")]).toEqual(["odoo:read", "odoo:write"]);
    expect(parseScope(undefined).size).toBe(0);
  });
});
