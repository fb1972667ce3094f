/**
 * Prometheus metrics both servers share (imported as @odoo-mcp/shared/metrics, so the simulator does
 * not load prom-client): a registry with Node's process metrics, request latency by
 * route, and `GET /metrics` for a scraper holding METRICS_TOKEN (off without one: the page says how
 * busy and how failing the service is, which is not for everyone).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, Middleware } from "koa";
import { Gauge, Histogram, Registry } from "prom-client";
// prom-client's default metrics one by one (no type declarations: each is `(registry, config) => void`),
// all but eventLoopLag, whose monitorEventLoopDelay wakes the process every 10 ms (≈10 ms CPU a second
// on an idle server). These compute their values when scraped (gc observes GC events, no timer).
// @ts-expect-error -- untyped CommonJS module
import gc from "prom-client/lib/metrics/gc.js";
// @ts-expect-error -- untyped CommonJS module
import heapSizeAndUsed from "prom-client/lib/metrics/heapSizeAndUsed.js";
// @ts-expect-error -- untyped CommonJS module
import heapSpacesSizeAndUsed from "prom-client/lib/metrics/heapSpacesSizeAndUsed.js";
// @ts-expect-error -- untyped CommonJS module
import osMemoryHeap from "prom-client/lib/metrics/osMemoryHeap.js";
// @ts-expect-error -- untyped CommonJS module
import processCpuTotal from "prom-client/lib/metrics/processCpuTotal.js";
// @ts-expect-error -- untyped CommonJS module
import processHandles from "prom-client/lib/metrics/processHandles.js";
// @ts-expect-error -- untyped CommonJS module
import processMaxFileDescriptors from "prom-client/lib/metrics/processMaxFileDescriptors.js";
// @ts-expect-error -- untyped CommonJS module
import processOpenFileDescriptors from "prom-client/lib/metrics/processOpenFileDescriptors.js";
// @ts-expect-error -- untyped CommonJS module
import processRequests from "prom-client/lib/metrics/processRequests.js";
// @ts-expect-error -- untyped CommonJS module
import processResources from "prom-client/lib/metrics/processResources.js";
// @ts-expect-error -- untyped CommonJS module
import processStartTime from "prom-client/lib/metrics/processStartTime.js";
// @ts-expect-error -- untyped CommonJS module
import version from "prom-client/lib/metrics/version.js";

type DefaultMetric = (registry: Registry, config: object) => void;

const DEFAULT_METRICS: DefaultMetric[] = [
  processCpuTotal,
  processStartTime,
  osMemoryHeap,
  processOpenFileDescriptors,
  processMaxFileDescriptors,
  processResources,
  processHandles,
  processRequests,
  heapSizeAndUsed,
  heapSpacesSizeAndUsed,
  version,
  gc,
];

/**
 * A registry with Node's process metrics, every one computed when scraped: nothing runs while nobody
 * scrapes. The event loop's lag is sampled at scrape time (how long a setImmediate waits), instead of
 * prom-client's always-on delay histogram and its min/max/mean/stddev/percentile gauges.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  for (const metric of DEFAULT_METRICS) metric(registry, {});
  new Gauge({
    name: "nodejs_eventloop_lag_seconds",
    help: "Lag of event loop in seconds, sampled when scraped.",
    registers: [registry],
    async collect() {
      const start = process.hrtime.bigint();
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.set(Number(process.hrtime.bigint() - start) / 1e9);
    },
  });
  return registry;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * A bounded route label: the router's pattern, else an OAuth endpoint's first path segment; anything that
 * matched nothing is "unmatched", so scanners cannot grow the label set.
 */
function routeOf(ctx: Context, status: number): string {
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  if (typeof matched === "string") return matched;
  const [, first, second] = ctx.path.split("/");
  if (status !== 404 && (first === "oauth" || first === ".well-known") && second) return `/${first}/${second}`;
  return "unmatched";
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Times every request, and answers `GET /metrics` to a bearer of `token` (404 when no token is configured). */
export function metricsMiddleware(registry: Registry, token: string | undefined): Middleware {
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP requests by method, route and status, and how long they took",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const expected = token ? digest(`Bearer ${token}`) : undefined;
  return async (ctx, next) => {
    if (ctx.path === "/metrics" && expected && ["GET", "HEAD"].includes(ctx.method)) {
      if (!timingSafeEqual(digest(ctx.get("authorization")), expected)) {
        ctx.status = 401;
        ctx.set("WWW-Authenticate", 'Bearer realm="metrics"');
        ctx.body = { error: "invalid_token", error_description: "send METRICS_TOKEN as a bearer token" };
        return;
      }
      ctx.type = registry.contentType;
      ctx.body = await registry.metrics();
      return;
    }
    const stop = duration.startTimer();
    try {
      await next();
    } finally {
      // oidc-provider answers on the raw response (ctx.respond = false): its status is there.
      const status = ctx.respond === false ? ctx.res.statusCode : ctx.status;
      stop({
        method: METHODS.has(ctx.method) ? ctx.method : "other",
        route: routeOf(ctx, status),
        status: String(status),
      });
    }
  };
}
