import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, env, parseEnv } from "../src/index.js";

const schema = z.object({
  AUTH_PORT: env.port(4000),
  AUTH_ISSUER: env.url().default("http://localhost:4000"),
  ACCESS_TOKEN_TTL: env.seconds("1h"),
  TRUST_PROXY: env.boolean(false),
  LOG_LEVEL: env.logLevel(),
});

function problemsOf(source: Record<string, string>): string[] {
  try {
    parseEnv(schema, source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseEnv", () => {
  it("applies defaults, treating empty values as unset", () => {
    expect(parseEnv(schema, { AUTH_PORT: "", LOG_LEVEL: " " })).toEqual({
      AUTH_PORT: 4000,
      AUTH_ISSUER: "http://localhost:4000",
      ACCESS_TOKEN_TTL: 3600,
      TRUST_PROXY: false,
      LOG_LEVEL: "info",
    });
  });

  it("converts what is given", () => {
    const config = parseEnv(schema, {
      AUTH_PORT: "8080",
      ACCESS_TOKEN_TTL: "15m",
      TRUST_PROXY: "yes",
      LOG_LEVEL: "debug",
    });
    expect(config).toMatchObject({ AUTH_PORT: 8080, ACCESS_TOKEN_TTL: 900, TRUST_PROXY: true, LOG_LEVEL: "debug" });
    expect(parseEnv(schema, { ACCESS_TOKEN_TTL: "30d" }).ACCESS_TOKEN_TTL).toBe(2_592_000);
  });

  it("names each bad variable on its own line, with what is expected and what was given", () => {
    expect(
      problemsOf({
        AUTH_PORT: "http",
        AUTH_ISSUER: "localhost:4000",
        ACCESS_TOKEN_TTL: "an hour",
        TRUST_PROXY: "maybe",
      }),
    ).toEqual([
      'AUTH_PORT: expected a TCP port number (got "http")',
      'AUTH_ISSUER: expected an absolute http(s) URL (got "localhost:4000")',
      'ACCESS_TOKEN_TTL: expected a duration such as 3600, 90s, 15m, 1h or 30d (got "an hour")',
      'TRUST_PROXY: expected true or false (got "maybe")',
    ]);
    expect(problemsOf({ AUTH_PORT: "70000" })).toEqual(['AUTH_PORT: expected a port from 0 to 65535 (got "70000")']);
  });

  it("never prints a refused secret, only its length", () => {
    const secrets = z.object({
      MCP_CLIENT_SECRET: z.string().min(32, "expected at least 32 characters"),
      ODOO_PASSWORD: z.string().min(8, "expected at least 8 characters"),
      ADMIN_TOKEN: z.string().min(24, "expected at least 24 characters"),
      DATABASE_URL: z.string().regex(/^postgres:/, "expected a postgres:// URL"),
    });
    const given = {
      MCP_CLIENT_SECRET: "s3cr3t-value",
      ODOO_PASSWORD: "hunter2",
      ADMIN_TOKEN: "tok-abc",
      DATABASE_URL: "mysql://user:pa55@db/x",
    };
    let message = "";
    try {
      parseEnv(secrets, given);
    } catch (error) {
      message = (error as ConfigError).message;
    }
    for (const value of [...Object.values(given), "pa55"]) expect(message).not.toContain(value);
    expect(message.split("\n")).toEqual([
      "MCP_CLIENT_SECRET: expected at least 32 characters (got 12 characters)",
      "ODOO_PASSWORD: expected at least 8 characters (got 7 characters)",
      "ADMIN_TOKEN: expected at least 24 characters (got 7 characters)",
      "DATABASE_URL: expected a postgres:// URL (got 22 characters)",
    ]);
  });

  it("never echoes the user name or password written into a URL", () => {
    const urls = z.object({ ODOO_URL: env.url(), AUTH_ISSUER: env.url() });
    let message = "";
    try {
      parseEnv(urls, { ODOO_URL: "ftp://admin:hunter2@odoo.example.com/", AUTH_ISSUER: "http//u:pw-in-issuer@x" });
    } catch (error) {
      message = (error as ConfigError).message;
    }
    expect(message.split("\n")).toEqual([
      'ODOO_URL: expected an absolute http(s) URL (got "ftp://***@odoo.example.com/")',
      'AUTH_ISSUER: expected an absolute http(s) URL (got "http//***@x")',
    ]);
    for (const secret of ["hunter2", "admin", "pw-in-issuer"]) expect(message).not.toContain(secret);
  });

  it("says a required variable is not set", () => {
    const required = z.object({ ODOO_URL: env.url() });
    expect(() => parseEnv(required, {})).toThrow(/^ODOO_URL: required, but it is not set$/);
  });

  it("stops a program with one clear line per problem and exit status 78", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "packages/odoo-sim/src/main.ts"], {
      env: { ...process.env, ODOO_SIM_PORT: "eighty", ODOO_DB: "bad name!" },
      encoding: "utf8",
    });
    expect(result.status).toBe(78);
    expect(result.stderr.trim().split("\n")).toEqual([
      'odoo-sim: configuration error: ODOO_SIM_PORT: expected a TCP port number (got "eighty")',
      'odoo-sim: configuration error: ODOO_DB: expected a database name of letters, digits, _ . - (got "bad name!")',
    ]);
  });
});
