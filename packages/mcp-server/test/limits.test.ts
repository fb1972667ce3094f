/**
 * Per-caller limits and streamed downloads (docs/security.md, round three): one token could run hundreds of
 * PDF renders at once (five POSTs of a hundred calls), and each download link held its whole file in the
 * MCP server's memory. Each test performs the attack against the real stack, with the simulator's report
 * route held open or made to send slowly, and failed before its fix.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { OdooSim } from "@odoo-mcp/odoo-sim";
import { type Stack, startStack, structured } from "@odoo-mcp/testkit/stack";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CallerLimits, isTooMany, type Slot, type TooMany } from "../src/caller-limits.js";

type Handler = (request: IncomingMessage, response: ServerResponse, pass: () => void) => void;

/** Puts `handle` in front of the simulator's report route (`pass` lets the simulator answer); counts all requests. */
function interceptReports(sim: OdooSim) {
  const [simulator] = sim.server.listeners("request") as RequestListener[];
  const state = { requests: 0, handle: ((_request, _response, pass) => pass()) as Handler };
  sim.server.removeAllListeners("request");
  sim.server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    state.requests++;
    const pass = () => simulator?.(request, response);
    if (request.url?.startsWith("/report/pdf/")) state.handle(request, response, pass);
    else pass();
  });
  return state;
}

/** A gate the report route waits at; counts the renders waiting there and the most at once. */
function renderGate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const gate = { waiting: 0, most: 0, open };
  const handle: Handler = (_request, response, pass) => {
    gate.waiting++;
    gate.most = Math.max(gate.most, gate.waiting);
    response.once("close", () => gate.waiting--);
    void opened.then(pass);
  };
  return { gate, handle };
}

const getReport = (id: number, ids = [1]) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/call",
  params: { name: "odoo_get_report", arguments: { model: "sale.order", ids } },
});

function poster(stack: Stack, token: () => string) {
  return (body: unknown) =>
    fetch(stack.mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token()}`,
        "content-type": "application/json",
        accept: "application/json",
      },
      body: JSON.stringify(body),
    });
}

describe("concurrency per token: renders, downloads, and the download stream", () => {
  let stack: Stack;
  let token: string;
  let reports: ReturnType<typeof interceptReports>;
  const post = (body: unknown) => poster(stack, () => token)(body);
  beforeAll(async () => {
    stack = await startStack({
      mcpEnv: { MCP_RENDERS_CONCURRENT: "2", MCP_DOWNLOADS_CONCURRENT: "2", MCP_FILE_MAX_BYTES: String(64 * 1024) },
    });
    token = await stack.token();
    reports = interceptReports(stack.sim);
  });
  beforeEach(() => {
    reports.handle = (_request, _response, pass) => pass();
  });
  afterAll(() => stack.close());

  it("runs at most MCP_RENDERS_CONCURRENT renders of one token at once: the other POSTs get 429 with Retry-After", async () => {
    const { gate, handle } = renderGate();
    reports.handle = handle;
    const answers = Array.from({ length: 6 }, (_, index) => post(getReport(index + 1)));
    const refused = (await Promise.all(answers.slice(2))).map((response) => response);
    // The first two POSTs are rendering (waiting at the gate); the four after them were refused at once.
    await expect.poll(() => gate.waiting).toBe(2);
    for (const response of refused) {
      expect(response.status).toBe(429);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await response.json()).toMatchObject({
        jsonrpc: "2.0",
        error: { code: -32000, message: expect.stringMatching(/PDF reports rendering at once/) },
      });
    }
    gate.open();
    for (const response of await Promise.all(answers.slice(0, 2))) {
      expect(response.status).toBe(200);
      expect(structured(((await response.json()) as { result: unknown }).result)).toMatchObject({
        size: expect.any(Number),
      });
    }
    expect(gate.most).toBe(2);
  });

  it("in one batch, runs as many renders as allowed and answers each other one with a JSON-RPC error carrying the wait", async () => {
    const { gate, handle } = renderGate();
    reports.handle = handle;
    const answer = post([1, 2, 3, 4, 5].map((id) => getReport(id)));
    await expect.poll(() => gate.waiting).toBe(2);
    gate.open();
    const response = await answer;
    expect(response.status).toBe(200);
    const results = (await response.json()) as {
      id: number;
      result?: unknown;
      error?: { code: number; data: unknown };
    }[];
    expect(results.map((result) => result.id)).toEqual([1, 2, 3, 4, 5]);
    expect(results.filter((result) => result.result)).toHaveLength(2);
    for (const refused of results.slice(2))
      expect(refused.error).toMatchObject({ code: -32000, data: { retryAfterSeconds: expect.any(Number) } });
    expect(gate.most).toBe(2);
  });

  /** A report's download link, made while the route answers as the simulator does. */
  const reportLink = async () => {
    const response = await post(getReport(1));
    return String(structured(((await response.json()) as { result: unknown }).result).download_url);
  };

  it("runs at most MCP_DOWNLOADS_CONCURRENT downloads of one person at once: the next gets 429 with Retry-After", async () => {
    const link = await reportLink();
    const { gate, handle } = renderGate();
    reports.handle = handle;
    const first = [fetch(link), fetch(link)];
    await expect.poll(() => gate.waiting).toBe(2);
    const third = await fetch(link);
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("1");
    expect(await third.json()).toEqual({ error: expect.stringMatching(/Too many downloads at once/) });
    gate.open();
    for (const response of await Promise.all(first))
      expect(response.headers.get("content-type")).toBe("application/pdf");
    // Their slots come back once the responses are over.
    reports.handle = (_request, _response, pass) => pass();
    await expect.poll(async () => (await fetch(link)).status).toBe(200);
  });

  it("pipes a report from Odoo to the reader: the first bytes arrive before Odoo has finished sending", async () => {
    const link = await reportLink();
    let odooFinished = false;
    let readerHasBytes: () => void = () => undefined;
    const readerGotBytes = new Promise<void>((resolve) => {
      readerHasBytes = resolve;
    });
    reports.handle = (_request, response) => {
      response.writeHead(200, { "content-type": "application/pdf" }); // no Content-Length: chunked
      response.write(Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(16 * 1024, "a")]));
      // Odoo goes on only once the reader has bytes, or after 3 s (a server holding the file whole would
      // have sent nothing by then).
      const timeout = setTimeout(readerHasBytes, 3000);
      void readerGotBytes.then(() => {
        clearTimeout(timeout);
        response.end(Buffer.alloc(16 * 1024, "b"), () => {
          odooFinished = true;
        });
      });
    };
    const response = await fetch(link);
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(
      Buffer.from(first.value as Uint8Array)
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    expect(odooFinished).toBe(false);
    readerHasBytes();
    let size = (first.value as Uint8Array).length;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) size += chunk.value.length;
    expect(size).toBe(9 + 32 * 1024);
    expect(odooFinished).toBe(true);
  });

  it("enforces MCP_FILE_MAX_BYTES while streaming: the reader never gets a whole file, and Odoo's sending is cut off", async () => {
    const link = await reportLink();
    let sent = 0;
    let odooConnectionClosed = false;
    reports.handle = (_request, response) => {
      response.writeHead(200, { "content-type": "application/pdf" });
      response.on("close", () => {
        odooConnectionClosed = true;
      });
      // 4 MB in 16 KB chunks, one a millisecond (loopback buffers would otherwise take it all at once).
      const chunk = Buffer.alloc(16 * 1024, "x");
      const timer = setInterval(() => {
        if (response.destroyed || sent >= 4 * 1024 * 1024) {
          clearInterval(timer);
          if (!response.destroyed) response.end();
          return;
        }
        sent += chunk.length;
        response.write(chunk);
      }, 1);
    };
    const response = await fetch(link);
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
    await expect.poll(() => odooConnectionClosed).toBe(true);
    expect(sent).toBeLessThan(1024 * 1024);
  });

  it("refuses a report Odoo declares larger than MCP_FILE_MAX_BYTES with 413, before sending anything", async () => {
    const link = await reportLink();
    reports.handle = (_request, response) => {
      response.writeHead(200, { "content-type": "application/pdf", "content-length": String(128 * 1024) });
      response.write("%PDF-");
    };
    const response = await fetch(link);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: expect.stringMatching(/^The PDF is 128 KB, more than the 64 KB this server hands out/),
    });
  });
});

describe("rates per token", () => {
  let stack: Stack;
  let token: string;
  let reports: ReturnType<typeof interceptReports>;
  const post = (body: unknown) => poster(stack, () => token)(body);
  beforeAll(async () => {
    stack = await startStack({ mcpEnv: { MCP_CALLS_PER_MINUTE: "3", MCP_DOWNLOADS_PER_MINUTE: "2" } });
    token = await stack.token();
    reports = interceptReports(stack.sim);
  });
  afterAll(() => stack.close());

  const count = (id: number) => ({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "odoo_count_records", arguments: { model: "res.partner" } },
  });

  it("refuses a tool call over MCP_CALLS_PER_MINUTE with 429 and Retry-After, before any Odoo call", async () => {
    for (const id of [1, 2]) expect((await post(count(id))).status).toBe(200);
    // The third of the minute is a report: it still counts as a call, and renders nothing.
    const link = String(
      structured(((await (await post(getReport(3))).json()) as { result: unknown }).result).download_url,
    );
    const before = reports.requests;
    const refused = await post(count(4));
    expect(refused.status).toBe(429);
    // 3 a minute: the next one in about 20 s.
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(10);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(20);
    expect(await refused.json()).toMatchObject({
      id: 4,
      error: {
        code: -32000,
        message: expect.stringMatching(/at most 3 a minute/),
        data: { retryAfterSeconds: expect.any(Number) },
      },
    });
    expect(reports.requests).toBe(before);
    // Another person has their own budget.
    const { user } = stack.odoo.users;
    const other = await stack.token(user.login, user.password, "odoo:read");
    expect((await poster(stack, () => other)(count(5))).status).toBe(200);

    // Downloads have theirs: 2 a minute.
    for (let i = 0; i < 2; i++) expect((await fetch(link)).status).toBe(200);
    const beforeDownload = reports.requests;
    const tooSoon = await fetch(link);
    expect(tooSoon.status).toBe(429);
    expect(Number(tooSoon.headers.get("retry-after"))).toBeGreaterThan(10);
    expect(reports.requests).toBe(beforeDownload);
  });
});

describe("CallerLimits", () => {
  const settings = {
    calls: { perMinute: 6, concurrent: 2 },
    renders: { concurrent: 1 },
    downloads: { perMinute: 1, concurrent: 1 },
  };

  it("lets a minute's worth through at once, then one per 60/amount seconds", () => {
    let now = 0;
    const limits = new CallerLimits(settings, () => now);
    for (let i = 0; i < 6; i++) (limits.take("a", ["calls"]) as Slot).release();
    const refused = limits.take("a", ["calls"]) as TooMany;
    expect(refused).toMatchObject({ resource: "calls", retryAfterSeconds: 10 });
    now += 9_000;
    expect(isTooMany(limits.take("a", ["calls"]))).toBe(true);
    now += 1_000;
    expect(isTooMany(limits.take("a", ["calls"]))).toBe(false);
    expect(isTooMany(limits.take("b", ["calls"]))).toBe(false); // someone else
  });

  it("counts what runs at once until it is released (once, however often release is called), taking all or nothing", () => {
    const limits = new CallerLimits(settings, () => 0);
    const report = limits.take("a", ["calls", "renders"]) as Slot;
    expect(limits.take("a", ["calls", "renders"])).toMatchObject({ resource: "renders", retryAfterSeconds: 1 });
    // The refused request took no call: one more plain call fits beside the report, then none.
    const plain = limits.take("a", ["calls"]) as Slot;
    expect(limits.take("a", ["calls"])).toMatchObject({ resource: "calls" });
    report.release();
    report.release();
    expect(isTooMany(limits.take("a", ["calls", "renders"]))).toBe(false);
    expect(isTooMany(limits.take("a", ["calls"]))).toBe(true);
    plain.release();
  });
});
