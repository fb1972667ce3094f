/** For tests and the one-command launcher: build the MCP server in-process. */

export type { OdooClient } from "@odoo-mcp/odoo-client";
export { createMcpApp, type McpApp, type McpAppOptions } from "./app.js";
export { loadMcpConfig, MCP_ENV_VARIABLES, type McpConfig } from "./config.js";
