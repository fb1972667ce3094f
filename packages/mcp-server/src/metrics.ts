/** The MCP server's Prometheus metrics: introspection and its cache, tool calls, and Odoo calls. */

import { type OdooClient, OdooError } from "@odoo-mcp/odoo-client";
import { createMetricsRegistry } from "@odoo-mcp/shared/metrics";
import { Counter, Histogram, type Registry } from "prom-client";

export interface McpMetrics {
  registry: Registry;
  /**
   * Token checks by outcome: cache_hit (from the cache, or sharing another check's introspection in flight),
   * active, inactive (one per introspection), unavailable (hit ratio = cache_hit / all).
   */
  tokenChecks: Counter<"outcome">;
  /** Tool calls by tool and outcome (ok, refused, invalid_arguments, odoo_<kind>, error), with their duration. */
  toolCalls: Histogram<"tool" | "outcome">;
  odooCalls: Histogram<"method" | "outcome">;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15];

export function createMcpMetrics(): McpMetrics {
  const registry = createMetricsRegistry("mcp-server");
  const registers = [registry];
  return {
    registry,
    tokenChecks: new Counter({
      name: "mcp_token_checks_total",
      help: "Bearer tokens checked, by outcome: cache_hit (the cache, or an introspection already in flight for the token), or an introspection that found the token active or inactive, or could not reach the authorization server",
      labelNames: ["outcome"] as const,
      registers,
    }),
    toolCalls: new Histogram({
      name: "mcp_tool_call_duration_seconds",
      help: "Tool calls by tool and outcome, and how long they took",
      labelNames: ["tool", "outcome"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    odooCalls: new Histogram({
      name: "odoo_call_duration_seconds",
      help: "Calls to Odoo by method and outcome (ok or the error kind), and how long they took",
      labelNames: ["method", "outcome"] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
  };
}

/** The same client, with every execute_kw timed and its outcome counted. */
export function measuredOdoo(client: OdooClient, calls: McpMetrics["odooCalls"]): OdooClient {
  return {
    signIn: () => client.signIn(),
    version: () => client.version(),
    server: () => client.server(),
    ...(client.renderReport ? { renderReport: client.renderReport.bind(client) } : {}),
    ...(client.openReport ? { openReport: client.openReport.bind(client) } : {}),
    ...(client.renderReportHtml ? { renderReportHtml: client.renderReportHtml.bind(client) } : {}),
    async executeKw(model, method, args, kwargs) {
      const stop = calls.startTimer({ method });
      try {
        const result = await client.executeKw(model, method, args, kwargs);
        stop({ outcome: "ok" });
        return result;
      } catch (error) {
        stop({ outcome: error instanceof OdooError ? error.kind : "error" });
        throw error;
      }
    },
  };
}
