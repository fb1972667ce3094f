/** For tests and the one-command launcher: build the MCP server in-process. */
export { createMcpApp, type McpApp, type McpAppOptions } from "./app.js";
export { loadMcpConfig, type McpConfig } from "./config.js";
export type { OdooClient } from "./odoo/client.js";
