/**
 * One request helper for every HTTP route the client uses (JSON-2, the web session, the version
 * probe), on node:http/node:https rather than fetch: a JSON-2 call costs about a third of the CPU it
 * cost through undici's fetch. Failures are OdooErrors, redirects are never followed, and bodies are
 * capped in size. `requestOdoo` reads the body whole within one deadline for the whole exchange (connect,
 * headers and body); `streamOdoo`, for files, hands it on as it arrives (a report PDF piped to a download).
 *
 * Connections: one keep-alive agent per scheme for the process, which pools per origin (host:port):
 * at most MAX_SOCKETS concurrent connections to one Odoo (further requests queue), and an idle
 * connection is closed after IDLE_SOCKET_MS (or earlier when Odoo's `Keep-Alive: timeout` says so),
 * before a server would drop it, as undici does. Idle sockets never keep the process alive.
 */
import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { pipeline, type Readable, Transform } from "node:stream";
import {
  brotliDecompressSync,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  gunzipSync,
  inflateSync,
} from "node:zlib";
import { OdooError, unreachable } from "./errors.js";

/** Concurrent connections to one Odoo origin; requests beyond wait for a free one. */
export const MAX_SOCKETS = 50;
/** How long an idle keep-alive connection is kept for the next request. */
export const IDLE_SOCKET_MS = 4_000;
/** The largest body read from Odoo (50 MB, after decompression); a larger answer is an "unavailable" error. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS, timeout: IDLE_SOCKET_MS, scheduling: "lifo" } as const;
const httpAgent = new HttpAgent(agentOptions);
const httpsAgent = new HttpsAgent(agentOptions);

export interface OdooRequest {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

export interface OdooResponse {
  status: number;
  /** A 2xx status. */
  ok: boolean;
  headers: IncomingHttpHeaders;
  /** The body, decoded as UTF-8. */
  text: string;
  /** The body's bytes, uncompressed (a PDF). */
  body: Buffer;
}

/** A header's value, repeated ones joined with ", " (as fetch's `headers.get` does, `set-cookie` included). */
export function headerOf(response: Pick<OdooResponse, "headers">, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

const tooLarge = (maxBytes = MAX_BODY_BYTES) =>
  new OdooError(
    "unavailable",
    `Odoo answered more than ${maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / 1024 / 1024)} MB` : `${maxBytes} bytes`}.`,
  );

function decompress(body: Buffer, encoding: string | undefined): Buffer {
  const options = { maxOutputLength: MAX_BODY_BYTES };
  let plain = body;
  try {
    if (encoding === "gzip" || encoding === "x-gzip") plain = gunzipSync(body, options);
    else if (encoding === "deflate") plain = inflateSync(body, options);
    else if (encoding === "br") plain = brotliDecompressSync(body, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge();
    throw unreachable(error);
  }
  return plain;
}

function utf8(body: Buffer): string {
  const text = body.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

type Finish<T> = (error: unknown, value?: T) => void;

/**
 * Sends one request to Odoo and hands the response to `onResponse`, which settles the exchange through
 * `finish` (once; later calls are ignored). Until then one deadline, `timeoutMs`, covers the whole
 * exchange; a failure destroys the request and rejects with an OdooError.
 */
function send<T>(
  url: string,
  init: OdooRequest,
  timeoutMs: number,
  onResponse: (response: IncomingMessage, finish: Finish<T>) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch (error) {
      reject(unreachable(error));
      return;
    }
    const https = target.protocol === "https:";
    const headers: Record<string, string | number> = { accept: "*/*", "user-agent": "odoo-mcp", ...init.headers };
    if (init.body !== undefined) headers["content-length"] = Buffer.byteLength(init.body);
    let done = false;
    const finish: Finish<T> = (error, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) {
        request.destroy();
        reject(unreachable(error));
      } else resolve(value as T);
    };
    const options = { method: init.method ?? "GET", headers, agent: https ? httpsAgent : httpAgent };
    let request: ClientRequest;
    try {
      request = (https ? httpsRequest : httpRequest)(target, options, (response) => {
        if (Number(response.headers["content-length"]) > MAX_BODY_BYTES) finish(tooLarge());
        else onResponse(response, finish);
      });
    } catch (error) {
      // An invalid header value, say: nothing was sent.
      reject(unreachable(error));
      return;
    }
    const timer = setTimeout(
      () => finish(new OdooError("unavailable", `Odoo did not answer within ${timeoutMs / 1000} s.`)),
      timeoutMs,
    );
    request.on("error", (error) => finish(error));
    request.end(init.body);
  });
}

/** Sends one request to Odoo and reads the whole answer within `timeoutMs`. */
export function requestOdoo(url: string, init: OdooRequest, timeoutMs: number): Promise<OdooResponse> {
  return send<OdooResponse>(url, init, timeoutMs, (response, finish) => {
    const status = response.statusCode ?? 0;
    const chunks: Buffer[] = [];
    let size = 0;
    response.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) finish(tooLarge());
      else chunks.push(chunk);
    });
    response.on("error", (error) => finish(error));
    response.on("end", () => {
      try {
        const body = decompress(
          chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
          response.headers["content-encoding"],
        );
        const ok = status >= 200 && status < 300;
        finish(undefined, { status, ok, headers: response.headers, text: utf8(body), body });
      } catch (error) {
        finish(error);
      }
    });
    // The connection closed before the whole body came: Node reports it as "aborted".
    response.on("close", () => {
      if (!response.complete) finish(new Error("aborted"));
    });
  });
}

export interface OdooStream {
  status: number;
  /** A 2xx status. */
  ok: boolean;
  headers: IncomingHttpHeaders;
  /** The body as it arrives, uncompressed, failing (an OdooError) past MAX_BODY_BYTES or if the connection drops. */
  body: Readable;
}

/** Counts the bytes going through, failing past `maxBytes`. */
function capped(maxBytes: number): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      callback(size > maxBytes ? tooLarge(maxBytes) : null, chunk);
    },
  });
}

export interface StreamOptions {
  /** Ends the exchange, body included: the reader bounds how long the body may take (a download's deadline). */
  signal?: AbortSignal | undefined;
  /** The most the body may hold, uncompressed (at most MAX_BODY_BYTES): past it the body fails. */
  maxBytes?: number | undefined;
}

const DECOMPRESSORS: Record<string, () => Transform> = {
  gzip: createGunzip,
  "x-gzip": createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * Sends one request to Odoo and resolves once the answer's headers are in (within `timeoutMs`), with the
 * body still to come: a stream that holds only what the reader has not taken yet, where requestOdoo would
 * hold the whole answer. The size cap is enforced as the bytes go through. Destroying the body closes the
 * connection.
 */
export function streamOdoo(
  url: string,
  init: OdooRequest,
  timeoutMs: number,
  { signal, maxBytes = MAX_BODY_BYTES }: StreamOptions = {},
): Promise<OdooStream> {
  return send<OdooStream>(url, init, timeoutMs, (response, finish) => {
    const status = response.statusCode ?? 0;
    const decompressor = DECOMPRESSORS[String(response.headers["content-encoding"])];
    const limit = Math.min(maxBytes, MAX_BODY_BYTES);
    const stages: (Readable | Transform)[] = [response, ...(decompressor ? [decompressor()] : []), capped(limit)];
    const body = stages.at(-1) as Transform;
    // pipeline destroys every stage when one fails or the reader destroys the body: the socket goes too.
    pipeline(stages as unknown as [Readable, Transform], () => undefined);
    const abort = () => body.destroy(new OdooError("unavailable", "The transfer from Odoo was stopped."));
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort, { once: true });
    body.once("close", () => signal?.removeEventListener("abort", abort));
    finish(undefined, { status, ok: status >= 200 && status < 300, headers: response.headers, body });
  });
}

/** The whole of a streamed body, in one Buffer. */
export async function readStream(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  } catch (error) {
    throw error instanceof OdooError ? error : unreachable(error);
  }
  return Buffer.concat(chunks);
}

/** The body as JSON, or undefined when it is not JSON (what `response.json().catch(() => undefined)` gave). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
