import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Listens as every odoo-mcp entry point does: bounded request and header times, and a deep accept queue
 * so that a crowd of clients connecting at once waits instead of being dropped. Resolves to the port.
 */
export function listenHttp(server: Server, port: number, host: string, requestTimeoutMs: number): Promise<number> {
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = 15_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, 2048, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
