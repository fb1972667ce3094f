/**
 * Settings every load scenario gives the MCP server: the load comes from one token, so that caller's
 * per-minute and at-once limits (MCP_CALLS_*, packages/mcp-server/src/caller-limits.ts) are raised past
 * anything a run sends; the limits' own cost (a map lookup per request) is still paid.
 */
export const UNLIMITED_CALLER = { MCP_CALLS_PER_MINUTE: "100000000", MCP_CALLS_CONCURRENT: "100000" };
