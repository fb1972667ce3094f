/**
 * One request helper for every HTTP route the client uses (JSON-2, the web session, the version
 * probe), on node:http/node:https rather than fetch: a JSON-2 call costs about a third of the CPU it
 * cost through undici's fetch. Each request has one deadline for the whole exchange (connect, headers and body), failures
 * are OdooErrors, redirects are never followed, and the body is read whole, up to a size cap.
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
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
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
export function headerOf(response: OdooResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

const tooLarge = () => new OdooError("unavailable", `Odoo answered more than ${MAX_BODY_BYTES / 1024 / 1024} MB.`);

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

/** Sends one request to Odoo and reads the whole answer within `timeoutMs`. */
export function requestOdoo(url: string, init: OdooRequest, timeoutMs: number): Promise<OdooResponse> {
  return new Promise<OdooResponse>((resolve, reject) => {
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
    const finish = (error: unknown, response?: OdooResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) {
        request.destroy();
        reject(unreachable(error));
      } else resolve(response as OdooResponse);
    };
    const options = { method: init.method ?? "GET", headers, agent: https ? httpsAgent : httpAgent };
    const onResponse = (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const declared = Number(response.headers["content-length"]);
      if (declared > MAX_BODY_BYTES) {
        finish(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) finish(tooLarge());
        else chunks.push(chunk);
      });
      response.on("error", (error) => finish(error));
      response.on("end", () => {
        if (done) return;
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
    };
    let request: ClientRequest;
    try {
      request = (https ? httpsRequest : httpRequest)(target, options, onResponse);
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

/** The body as JSON, or undefined when it is not JSON (what `response.json().catch(() => undefined)` gave). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
