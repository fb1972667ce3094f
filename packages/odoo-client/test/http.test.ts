import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { OdooError } from "../src/errors.js";
import { headerOf, MAX_BODY_BYTES, readStream, requestOdoo, streamOdoo } from "../src/http.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A local server answering with `handle`; counts the connections it accepts. */
async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(handle);
  servers.push(server);
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

describe("requestOdoo", () => {
  it("reuses one kept-alive connection for sequential requests, and sends the body whole", async () => {
    const server = await serve((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () =>
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ method: request.method, length: request.headers["content-length"], body })),
      );
    });
    for (let i = 0; i < 20; i++) {
      const body = JSON.stringify({ i, text: "é" });
      const response = await requestOdoo(`${server.url}/json/2/x/y`, { method: "POST", body }, 2000);
      expect(response).toMatchObject({ status: 200, ok: true });
      expect(JSON.parse(response.text)).toEqual({
        method: "POST",
        length: String(Buffer.byteLength(body)),
        body,
      });
    }
    expect(server.connections()).toBe(1);
  });

  it("gives up on a server that never answers, after the deadline, with the usual message", async () => {
    const server = await serve(() => {
      /* never answers */
    });
    const started = Date.now();
    const failure = requestOdoo(`${server.url}/web/version`, {}, 300);
    await expect(failure).rejects.toThrow(new OdooError("unavailable", "Odoo did not answer within 0.3 s."));
    await expect(failure).rejects.toMatchObject({ kind: "unavailable" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("gives up on a server that sends the headers then stalls the body, and closes that connection", async () => {
    let closed = false;
    const server = await serve((request, response) => {
      request.socket.on("close", () => {
        closed = true;
      });
      response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      response.write('{"partial": ');
    });
    await expect(requestOdoo(`${server.url}/json/2/x/y`, { method: "POST", body: "{}" }, 300)).rejects.toThrow(
      "Odoo did not answer within 0.3 s.",
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
  });

  it("says Odoo could not be reached on a refused port", async () => {
    const server = await serve(() => undefined);
    const url = server.url;
    for (const open of servers.splice(0)) await new Promise((resolve) => open.close(resolve));
    const failure = requestOdoo(`${url}/web/version`, {}, 2000);
    await expect(failure).rejects.toBeInstanceOf(OdooError);
    await expect(failure).rejects.toMatchObject({ kind: "unavailable" });
    await expect(failure).rejects.toThrow(/^Odoo could not be reached \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\.$/);
  });

  it("says Odoo could not be reached when the connection drops mid-body", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { "content-length": "100" });
      response.write("{", () => response.destroy());
    });
    await expect(requestOdoo(`${server.url}/x`, {}, 2000)).rejects.toThrow(/^Odoo could not be reached/);
  });

  it("refuses a body over the size cap, declared or streamed", async () => {
    const chunk = Buffer.alloc(1024 * 1024, "a");
    const declared = await serve((_request, response) => {
      response.writeHead(200, { "content-length": String(MAX_BODY_BYTES + 1) });
      response.write(chunk);
    });
    await expect(requestOdoo(declared.url, {}, 5000)).rejects.toThrow(
      new OdooError("unavailable", "Odoo answered more than 50 MB."),
    );
    const streamed = await serve((_request, response) => {
      response.writeHead(200);
      let sent = 0;
      const more = () => {
        while (sent <= MAX_BODY_BYTES) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", more);
        }
        response.end();
      };
      more();
    });
    await expect(requestOdoo(streamed.url, {}, 10_000)).rejects.toThrow("Odoo answered more than 50 MB.");
  });

  it("gives the status and headers, set-cookie included, and never follows a redirect", async () => {
    const server = await serve((request, response) => {
      if (request.url === "/moved") response.writeHead(303, { location: "/elsewhere" }).end();
      else
        response.writeHead(200, { "set-cookie": ["session_id=abc123; HttpOnly; Path=/", "tz=UTC; Path=/"] }).end("{}");
    });
    const signedIn = await requestOdoo(`${server.url}/web/session/authenticate`, { method: "POST", body: "{}" }, 2000);
    expect(headerOf(signedIn, "Set-Cookie")).toBe("session_id=abc123; HttpOnly; Path=/, tz=UTC; Path=/");
    expect(signedIn.headers["set-cookie"]).toEqual(["session_id=abc123; HttpOnly; Path=/", "tz=UTC; Path=/"]);
    const moved = await requestOdoo(`${server.url}/moved`, {}, 2000);
    expect(moved).toMatchObject({ status: 303, ok: false, text: "" });
    expect(headerOf(moved, "location")).toBe("/elsewhere");
  });
});

describe("streamOdoo", () => {
  it("hands the body on as it arrives: the first bytes are read before the server has finished", async () => {
    let finish: () => void = () => undefined;
    const server = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/pdf" });
      response.write("%PDF-first part ");
      finish = () => response.end("last part");
    });
    const answer = await streamOdoo(`${server.url}/report/pdf/x/1`, {}, 2000);
    expect(answer).toMatchObject({ status: 200, ok: true });
    const reader = answer.body[Symbol.asyncIterator]();
    expect(String((await reader.next()).value)).toBe("%PDF-first part ");
    finish();
    expect(String((await reader.next()).value)).toBe("last part");
    expect((await reader.next()).done).toBe(true);
  });

  it("uncompresses a gzip body as it streams", async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync("hello, compressed"));
    });
    expect(String(await readStream((await streamOdoo(server.url, {}, 2000)).body))).toBe("hello, compressed");
  });

  it("fails the body past maxBytes as the bytes go through, and closes the connection", async () => {
    let closed = false;
    const server = await serve((request, response) => {
      request.socket.on("close", () => {
        closed = true;
      });
      response.writeHead(200);
      const timer = setInterval(
        () => (response.destroyed ? clearInterval(timer) : response.write("x".repeat(1024))),
        1,
      );
    });
    const answer = await streamOdoo(server.url, {}, 2000, { maxBytes: 10 * 1024 });
    await expect(readStream(answer.body)).rejects.toThrow(
      new OdooError("unavailable", "Odoo answered more than 10240 bytes."),
    );
    await expect.poll(() => closed).toBe(true);
  });

  it("stops the transfer when its signal aborts, and closes the connection", async () => {
    let closed = false;
    const server = await serve((request, response) => {
      request.socket.on("close", () => {
        closed = true;
      });
      response.writeHead(200).write("start");
    });
    const stop = new AbortController();
    const answer = await streamOdoo(server.url, {}, 2000, { signal: stop.signal });
    const reading = readStream(answer.body);
    stop.abort();
    await expect(reading).rejects.toThrow("The transfer from Odoo was stopped.");
    await expect.poll(() => closed).toBe(true);
  });

  it("gives up after the timeout when the headers never come", async () => {
    const server = await serve(() => undefined);
    await expect(streamOdoo(server.url, {}, 300)).rejects.toThrow("Odoo did not answer within 0.3 s.");
  });
});
