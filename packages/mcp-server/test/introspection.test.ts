/** One introspection per token at a time: concurrent checks of a token not in the cache share it. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Stack, startStack } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthorizationServer } from "../src/auth/authorization-server.js";
import { AuthServerUnavailable } from "../src/auth/authorization-server.js";
import { TokenVerifier } from "../src/auth/token-verifier.js";

const METRICS_TOKEN = "scraper-token-0123456789-abcdef";
const CONCURRENCY = 50;

describe("introspection under concurrent requests (real servers)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ mcpEnv: { INTROSPECTION_CACHE_TTL: "1s" }, authEnv: { METRICS_TOKEN } });
  });
  afterAll(() => stack.close());

  /** Introspection requests the authorization server has answered, from its own /metrics. */
  const introspections = async () => {
    const response = await fetch(`${stack.auth.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    let total = 0;
    for (const line of (await response.text()).split("\n")) {
      const match = /^http_request_duration_seconds_count\{(.*)\} (\S+)$/.exec(line);
      if (match?.[1]?.includes('route="/oauth/introspect"')) total += Number(match[2]);
    }
    return total;
  };
  const toolsList = (token: string) =>
    fetch(stack.mcpUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
    });
  const burst = async (token: string) => {
    const responses = await Promise.all(Array.from({ length: CONCURRENCY }, () => toolsList(token)));
    await Promise.all(responses.map((response) => response.text()));
    return responses.map((response) => response.status);
  };

  it("introspects a new token once for 50 concurrent requests, and once more when its cached answer expires", async () => {
    const token = await stack.token();
    const before = await introspections();
    expect(await burst(token)).toEqual(Array(CONCURRENCY).fill(200));
    expect((await introspections()) - before).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 1200)); // INTROSPECTION_CACHE_TTL=1s
    expect(await burst(token)).toEqual(Array(CONCURRENCY).fill(200));
    expect((await introspections()) - before).toBe(2);
  });

  it("shares an inactive answer the same way", async () => {
    const before = await introspections();
    expect(await burst("never-issued-token-0123456789")).toEqual(Array(CONCURRENCY).fill(401));
    expect((await introspections()) - before).toBe(1);
  });
});

describe("a failed introspection", () => {
  it("is shared by the checks waiting on it, and not cached", async () => {
    let requests = 0;
    const server = createServer((request, response) => {
      requests++;
      request.resume();
      setTimeout(() => {
        response.statusCode = 503;
        response.end();
      }, 50);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const authorizationServer = {
      metadata: async () => ({ issuer: url, introspection_endpoint: `${url}/oauth/introspect` }),
      internal: (endpoint: string) => endpoint,
    } as unknown as AuthorizationServer;
    const verifier = new TokenVerifier({
      authorizationServer,
      clientId: "mcp",
      clientSecret: "secret",
      resource: "http://127.0.0.1:3999/mcp",
      timeoutMs: 2000,
      cacheTtlSeconds: 60,
      negativeTtlSeconds: 5,
      cacheMax: 100,
    });
    try {
      const checks = await Promise.allSettled(Array.from({ length: CONCURRENCY }, () => verifier.verify("some-token")));
      expect(
        checks.every((check) => check.status === "rejected" && check.reason instanceof AuthServerUnavailable),
      ).toBe(true);
      expect(requests).toBe(1);
      await expect(verifier.verify("some-token")).rejects.toBeInstanceOf(AuthServerUnavailable);
      expect(requests).toBe(2);
      // Another token is another introspection, even while one is in flight.
      await Promise.allSettled([verifier.verify("token-a"), verifier.verify("token-b")]);
      expect(requests).toBe(4);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
