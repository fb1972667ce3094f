/** Both servers' /metrics pages: closed without the scraper's token, and moving with real traffic. */
import { type Stack, startStack } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const METRICS_TOKEN = "scraper-token-0123456789-abcdef";

/** The value of one sample in Prometheus' text format, 0 when absent. */
function sample(page: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let total = 0;
  for (const line of page.split("\n")) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? "").split(/,(?=[a-z_]+=")/);
    if (wanted.every((label) => present.includes(label))) total += Number(match[3]);
  }
  return total;
}

describe("metrics", () => {
  let stack: Stack;
  const scrape = async (url: string) => {
    const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    return response.text();
  };
  const mcpOrigin = () => new URL(stack.mcpUrl).origin;

  beforeAll(async () => {
    stack = await startStack({ mcpEnv: { METRICS_TOKEN }, authEnv: { METRICS_TOKEN } });
  });
  afterAll(() => stack.close());

  it("answers only the scraper holding METRICS_TOKEN", async () => {
    for (const url of [stack.auth.url, mcpOrigin()]) {
      const none = await fetch(`${url}/metrics`);
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      const wrong = await fetch(`${url}/metrics`, { headers: { authorization: "Bearer not-the-token-at-all-000000" } });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).not.toContain("process_cpu");
    }
  });

  it("counts tokens, sign-in failures and refused requests at the authorization server", async () => {
    const before = await scrape(stack.auth.url);
    await expect(stack.token("admin", "wrong-password")).rejects.toThrow();
    await stack.token();
    const refused = await fetch(`${stack.auth.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=authorization_code&code=bogus&client_id=chatgpt-odoo-mcp",
    });
    expect(refused.status).toBe(401);
    const after = await scrape(stack.auth.url);
    const moved = (name: string, labels?: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(moved("oauth_signin_failures_total", { reason: "rejected" })).toBe(1);
    expect(moved("oauth_tokens_issued_total", { grant_type: "authorization_code" })).toBe(1);
    expect(moved("oauth_requests_refused_total", { endpoint: "grant", error: "invalid_client" })).toBe(1);
    expect(
      moved("http_request_duration_seconds_count", { route: "/oauth/token", method: "POST" }),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(after, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("counts token checks, the introspection cache, tool calls and Odoo calls at the MCP server", async () => {
    const before = await scrape(mcpOrigin());
    const client = await stack.connect(await stack.token());
    await client.callTool({ name: "odoo_count_records", arguments: { model: "res.partner" } });
    await client.callTool({
      name: "odoo_count_records",
      arguments: { model: "res.partner", domain: [["nope", "=", 1]] },
    });
    await client.callTool({ name: "odoo_count_records", arguments: { model: 42 } });
    await client.callTool({
      name: "odoo_call_method",
      arguments: { model: "sale.order", method: "action_confirm", ids: 999999 },
    });
    const unknown = await fetch(stack.mcpUrl, { method: "POST", headers: { authorization: "Bearer not-a-token" } });
    expect(unknown.status).toBe(401);
    const after = await scrape(mcpOrigin());
    const moved = (name: string, labels?: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(moved("mcp_token_checks_total", { outcome: "active" })).toBe(1);
    expect(moved("mcp_token_checks_total", { outcome: "inactive" })).toBe(1);
    // initialize, initialized, four tool calls: one introspection, the rest from the cache.
    expect(moved("mcp_token_checks_total", { outcome: "cache_hit" })).toBeGreaterThanOrEqual(5);
    const tool = (outcome: string) =>
      moved("mcp_tool_call_duration_seconds_count", { tool: "odoo_count_records", outcome });
    expect([tool("ok"), tool("refused"), tool("invalid_arguments")]).toEqual([1, 1, 1]);
    expect(moved("mcp_tool_call_duration_seconds_count", { tool: "odoo_call_method", outcome: "odoo_missing" })).toBe(
      1,
    );
    expect(moved("odoo_call_duration_seconds_count", { method: "search_count", outcome: "ok" })).toBe(1);
    expect(moved("odoo_call_duration_seconds_count", { method: "action_confirm", outcome: "missing" })).toBe(1);
    expect(moved("http_request_duration_seconds_count", { route: "/mcp", status: "200" })).toBeGreaterThanOrEqual(5);
  });

  it("keeps unmatched paths out of the route label", async () => {
    for (const path of ["/oauth/no-such-endpoint-1", "/random/path/2", "/oauth/x/y/z"])
      await fetch(`${stack.auth.url}${path}`);
    const page = await scrape(stack.auth.url);
    expect(page).not.toContain("no-such-endpoint");
    expect(page).not.toContain("/random");
    expect(sample(page, "http_request_duration_seconds_count", { route: "unmatched" })).toBeGreaterThanOrEqual(3);
  });
});
