/**
 * Fetches a file from a URL given by a person, for an attachment: https only, the host resolved once
 * and every address checked (public-address.ts: no private, loopback, link-local or other special
 * range, so a link cannot reach the MCP server's own network), the connection made to the checked
 * address, no redirects, and the size capped while reading. Hosts named in MCP_FETCH_PRIVATE_HOSTS skip
 * the address check (and may be http), for tests on one machine only.
 *
 * Refusals never echo a resolved address, a resolver's or a socket's error text (they name internal
 * addresses and certificate names), and a name that does not resolve is refused in the same words as
 * one that resolves to a private address: otherwise the tool would tell which internal names exist.
 */
import { lookup } from "node:dns/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { ToolRefusal } from "../tools/types.js";
import { megabytes } from "./files.js";
import { isPublicAddress } from "./public-address.js";

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a host name resolves to (DNS by default; tests answer without a network). */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

const dnsResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

export interface FetchedFile {
  bytes: Buffer;
  contentType: string;
  /** The last path segment, as a file name. */
  name: string;
}

export type UrlFetcher = (url: string) => Promise<FetchedFile>;

const notPublic = () =>
  new ToolRefusal(
    "That URL's host is not on the public internet (or could not be found); only files at public https:// addresses can be attached.",
  );

/** A socket or TLS failure by its code (ECONNREFUSED, CERT_HAS_EXPIRED…): its message may name internal addresses. */
const failureCode = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === "string" && /^[A-Z0-9_]+$/.test(code) ? ` (${code})` : "";
};

const tooLarge = (limit: string) =>
  new ToolRefusal(`That file is larger than ${limit}, the most this server attaches.`);

export function createUrlFetcher(options: {
  maxBytes: number;
  timeoutMs: number;
  privateHosts: readonly string[];
  resolve?: Resolver;
}): UrlFetcher {
  const resolve = options.resolve ?? dnsResolver;
  const trusted = new Set(options.privateHosts.map((host) => host.toLowerCase()));
  const limit = megabytes(options.maxBytes);
  return async (given) => {
    let url: URL;
    try {
      url = new URL(given);
    } catch {
      throw new ToolRefusal(`"${given.slice(0, 100)}" is not a URL; give an https:// address.`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const allowed = trusted.has(host);
    if (url.protocol !== "https:" && !(allowed && url.protocol === "http:"))
      throw new ToolRefusal("Only https:// URLs can be attached; give the file's https address.");
    if (url.username || url.password) throw new ToolRefusal("Give the URL without a user name or password in it.");
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host).catch(() => []);
    const address = addresses[0];
    if (!address || (!allowed && !addresses.every(({ address: ip }) => isPublicAddress(ip)))) throw notPublic();
    // The whole transfer has a deadline: the socket timeout only notices a server idle for timeoutMs,
    // not one that trickles a byte at a time.
    const deadlineMs = options.timeoutMs * 4;
    const deadline = AbortSignal.timeout(deadlineMs);
    const tooLong = () => new ToolRefusal(`${url.origin} took longer than ${deadlineMs / 1000} s to send that file.`);
    const response = await get(url, address, options.timeoutMs, deadline).catch((error: unknown) => {
      throw deadline.aborted ? tooLong() : error;
    });
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400) {
      response.resume();
      throw new ToolRefusal(`${url.origin} redirects elsewhere; give the file's final address.`);
    }
    if (status !== 200) {
      response.resume();
      throw new ToolRefusal(`${url.origin} answered HTTP ${status} for that file.`);
    }
    if (Number(response.headers["content-length"]) > options.maxBytes) {
      response.destroy();
      throw tooLarge(limit);
    }
    const bytes = await readCapped(response, options.maxBytes, limit).catch((error: unknown) => {
      throw deadline.aborted ? tooLong() : error;
    });
    return {
      bytes,
      contentType: String(response.headers["content-type"] ?? "application/octet-stream"),
      name: nameOf(url),
    };
  };
}

/** The last path segment, decoded; as it is when its percent-escapes are not valid UTF-8. */
function nameOf(url: URL): string {
  const segment = url.pathname.split("/").filter(Boolean).at(-1) ?? "download";
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** GET to the address already checked, keeping the host name for TLS and the Host header. */
function get(url: URL, address: ResolvedAddress, timeoutMs: number, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolvePromise, reject) => {
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(
      url,
      {
        method: "GET",
        headers: { "user-agent": "odoo-mcp", accept: "*/*" },
        // Node asks for every address (`all`) or one; either way only the address checked above.
        lookup: ((_host: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) =>
          lookupOptions.all ? callback(null, [address]) : callback(null, address.address, address.family)) as never,
        timeout: timeoutMs,
        signal,
      },
      resolvePromise,
    );
    request.on("timeout", () => request.destroy(Object.assign(new Error("idle"), { code: "ETIMEDOUT" })));
    request.on("error", (error) => reject(new ToolRefusal(`${url.origin} could not be reached${failureCode(error)}.`)));
    request.end();
  });
}

async function readCapped(response: IncomingMessage, maxBytes: number, limit: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      response.destroy();
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
