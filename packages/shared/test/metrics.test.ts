/** Node's process metrics, computed when scraped: nothing keeps running while nobody scrapes. */
import perfHooks from "node:perf_hooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMetricsRegistry } from "../src/metrics.js";

const timers = () => process.getActiveResourcesInfo().filter((type) => type === "Timeout" || type === "Immediate");

describe("createMetricsRegistry", () => {
  afterEach(() => vi.restoreAllMocks());

  it("exposes Node's process metrics, labelled with the service, on scrape", async () => {
    const registry = createMetricsRegistry("test-service");
    const page = await registry.metrics();
    for (const name of [
      "process_cpu_user_seconds_total",
      "process_cpu_system_seconds_total",
      "process_cpu_seconds_total",
      "process_start_time_seconds",
      "process_resident_memory_bytes",
      "process_open_fds",
      "process_max_fds",
      "nodejs_eventloop_lag_seconds",
      "nodejs_active_handles_total",
      "nodejs_active_requests_total",
      "nodejs_active_resources_total",
      "nodejs_heap_size_total_bytes",
      "nodejs_heap_size_used_bytes",
      "nodejs_heap_space_size_used_bytes",
      "nodejs_version_info",
      "nodejs_gc_duration_seconds",
    ])
      expect(page).toContain(`# TYPE ${name} `);
    expect(page).toMatch(/^process_resident_memory_bytes\{service="test-service"\} [1-9]\d*$/m);
    const lag = /^nodejs_eventloop_lag_seconds\{service="test-service"\} (\S+)$/m.exec(page);
    expect(Number(lag?.[1])).toBeGreaterThan(0);
  });

  it("starts no timer and no event loop delay monitor, neither when created nor when scraped", async () => {
    const monitor = vi.spyOn(perfHooks, "monitorEventLoopDelay");
    const setInterval = vi.spyOn(globalThis, "setInterval");
    const before = timers();
    const registry = createMetricsRegistry("idle");
    expect(timers()).toEqual(before);
    await registry.metrics();
    await registry.metrics();
    expect(monitor).not.toHaveBeenCalled();
    expect(setInterval).not.toHaveBeenCalled();
  });
});
