/** One fetch for every HTTP route the client uses: a deadline on each request, failures as OdooError. */
import { OdooError, unreachable } from "./errors.js";

export async function fetchOdoo(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, {
      ...init,
      headers: { "user-agent": "odoo-mcp", ...(init.headers as Record<string, string>) },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if ((error as Error).name === "TimeoutError")
      throw new OdooError("unavailable", `Odoo did not answer within ${timeoutMs / 1000} s.`);
    throw unreachable(error);
  }
}
