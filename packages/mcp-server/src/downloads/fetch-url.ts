/**
 * Fetches a file from a URL given by a person, for an attachment: https only, the host resolved once
 * and every address checked (no private, loopback, link-local or other non-public range, so a link
 * cannot reach the MCP server's own network), the connection made to the checked address, no
 * redirects, and the size capped while reading. Hosts named in MCP_FETCH_PRIVATE_HOSTS skip the
 * address check (and may be http), for tests on one machine only.
 */
import { lookup } from "node:dns/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";
import { ToolRefusal } from "../tools/types.js";
import { megabytes } from "./files.js";

/** Ranges that are not the public internet (IANA special-purpose registries). */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  // Unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d.
  ["::", 96],
  ["::ffff:0:0", 96],
  // NAT64, well-known and local-use prefixes (RFC 6052, RFC 8215): translated to the IPv4 address inside.
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  // 6to4 (RFC 3056): 2002:<IPv4>::/48 reaches the IPv4 address it embeds.
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  // Site-local (deprecated, still routed in some networks).
  ["fec0::", 10],
  ["ff00::", 8],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, "ipv6");

export interface FetchedFile {
  bytes: Buffer;
  contentType: string;
  /** The last path segment, as a file name. */
  name: string;
}

export type UrlFetcher = (url: string) => Promise<FetchedFile>;

const tooLarge = (limit: string) =>
  new ToolRefusal(`That file is larger than ${limit}, the most this server attaches.`);

export function createUrlFetcher(options: {
  maxBytes: number;
  timeoutMs: number;
  privateHosts: readonly string[];
}): UrlFetcher {
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
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
    const address = addresses[0];
    if (!address) throw new ToolRefusal(`${host} does not resolve to any address.`);
    if (!allowed && addresses.some(({ address: ip, family }) => NON_PUBLIC.check(ip, family === 6 ? "ipv6" : "ipv4")))
      throw new ToolRefusal(
        `${host} is a private, loopback or local network address; only files on the public internet can be attached.`,
      );
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

async function resolve(host: string) {
  try {
    return await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new ToolRefusal(`${host} could not be found (DNS); check the URL.`);
  }
}

/** GET to the address already checked, keeping the host name for TLS and the Host header. */
function get(
  url: URL,
  address: { address: string; family: number },
  timeoutMs: number,
  signal: AbortSignal,
): Promise<IncomingMessage> {
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
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    request.on("error", (error) => reject(new ToolRefusal(`${url.origin} could not be reached (${error.message}).`)));
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
