import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  CHATGPT_CLIENT_ID,
  COMMON_ENV,
  canonicalUrl,
  GRANT_LIFETIME_SECONDS,
  logLevelOf,
  mcpResourceUrl,
  ODOO_AUTH_MODES,
  parseEnv,
  SIGN_IN_LIMIT_PER_ADDRESS,
  SIGN_IN_LIMIT_PER_LOGIN_AND_ADDRESS,
} from "../src/index.js";

const secrets = { MCP_CLIENT_ID: "resource-server", MCP_CLIENT_SECRET: "x".repeat(32) };

describe("the variables both servers read (COMMON_ENV)", () => {
  it("has one definition with the defaults both servers share", () => {
    expect(parseEnv(z.object(COMMON_ENV), secrets)).toEqual({
      ...secrets,
      ODOO_URL: "http://127.0.0.1:8069",
      ODOO_DB: "demo",
      // Writes happen only as the person: user mode by default, and service mode writes only when told.
      ODOO_AUTH_MODE: "user",
      ODOO_SERVICE_WRITES: false,
      // Both servers read it: the MCP server calls Odoo over it, the sign-in asks for what it takes.
      ODOO_PROTOCOL: "auto",
      TRUST_PROXY: false,
      LOG_LEVEL: "info",
    });
    expect(ODOO_AUTH_MODES).toEqual(["service", "user"]);
  });

  it("lets a server relax one variable while keeping its checks", () => {
    const schema = z.object({ ...COMMON_ENV, MCP_CLIENT_ID: COMMON_ENV.MCP_CLIENT_ID.optional() });
    expect(parseEnv(schema, { MCP_CLIENT_SECRET: secrets.MCP_CLIENT_SECRET }).MCP_CLIENT_ID).toBeUndefined();
    expect(() => parseEnv(schema, { ...secrets, MCP_CLIENT_ID: "short" })).toThrow(
      /^MCP_CLIENT_ID: expected at least 8 characters/,
    );
    expect(() => parseEnv(schema, { ...secrets, ODOO_AUTH_MODE: "both" })).toThrow(
      /^ODOO_AUTH_MODE: expected service or user/,
    );
  });

  it("checks LOG_LEVEL alone for the launcher", () => {
    expect(logLevelOf({})).toBe("info");
    expect(logLevelOf({ LOG_LEVEL: "debug" })).toBe("debug");
    expect(() => logLevelOf({ LOG_LEVEL: "loud" })).toThrow(/^LOG_LEVEL: expected one of/);
  });
});

describe("canonical URLs", () => {
  it("drop trailing slashes, once, at load", () => {
    expect(canonicalUrl("https://auth.example.com/")).toBe("https://auth.example.com");
    expect(canonicalUrl("https://odoo.example.com/odoo//")).toBe("https://odoo.example.com/odoo");
    expect(canonicalUrl("https://mcp.example.com/mcp")).toBe("https://mcp.example.com/mcp");
  });

  it("give the MCP resource from MCP_RESOURCE_URL, else MCP_PUBLIC_URL + /mcp, else the local default", () => {
    expect(mcpResourceUrl("https://mcp.example.com/mcp/", "https://ignored.example.com")).toBe(
      "https://mcp.example.com/mcp",
    );
    expect(mcpResourceUrl(undefined, "https://mcp.example.com/")).toBe("https://mcp.example.com/mcp");
    expect(mcpResourceUrl(undefined, undefined)).toBe("http://localhost:3000/mcp");
  });
});

describe("policy constants", () => {
  it("are the documented numbers", () => {
    expect(CHATGPT_CLIENT_ID).toBe("chatgpt-odoo-mcp");
    expect(GRANT_LIFETIME_SECONDS).toBe(365 * 86400);
    expect(SIGN_IN_LIMIT_PER_LOGIN_AND_ADDRESS).toEqual({ max: 5, windowSeconds: 900 });
    expect(SIGN_IN_LIMIT_PER_ADDRESS).toEqual({ max: 20, windowSeconds: 900 });
  });
});
