/**
 * Asking Odoo at start-up, so the banner says what a person would otherwise learn at the first sign-in:
 * Odoo's version and the protocol the MCP server will speak to it, or that it cannot be reached and what
 * to check. The servers run either way: Odoo may come up after them.
 */
import {
  chooseProtocol,
  credentialKind,
  detectRelease,
  type OdooProtocol,
  type OdooProtocolSetting,
} from "@odoo-mcp/odoo-client";
import { withoutUrlCredentials } from "@odoo-mcp/shared";

export interface OdooCheckSettings {
  url: string;
  protocol: OdooProtocolSetting;
  timeoutMs: number;
  /** Service mode: the one account's password or API key, which decides the protocol; user mode: undefined. */
  serviceSecret: string | undefined;
}

export type OdooCheck =
  | { reachable: true; version: string; protocols: string; warning?: string }
  | { reachable: false; problem: string };

const PROTOCOL_NAMES: Record<OdooProtocol, string> = {
  xmlrpc: "XML-RPC",
  json2: "JSON-2",
  web: "the web client's session",
};

/** The start-up probe waits no longer than this, whatever ODOO_TIMEOUT says: the banner should not hang. */
const PROBE_TIMEOUT_MS = 5000;

export async function checkOdoo(settings: OdooCheckSettings): Promise<OdooCheck> {
  let release: Awaited<ReturnType<typeof detectRelease>>;
  try {
    release = await detectRelease(settings.url, Math.min(settings.timeoutMs, PROBE_TIMEOUT_MS));
  } catch (error) {
    const detail = withoutUrlCredentials(error instanceof Error ? error.message : String(error));
    return {
      reachable: false,
      problem: `cannot reach Odoo at ${withoutUrlCredentials(settings.url)}: ${detail} Check that Odoo is running there and that ODOO_URL is right; sign-in fails until Odoo answers.`,
    };
  }
  const protocolOf = (credential: "api-key" | "password") =>
    PROTOCOL_NAMES[chooseProtocol(settings.protocol, release, credential)];
  // In user mode each person's credential decides; in service mode the one account's.
  const protocols = settings.serviceSecret
    ? protocolOf(credentialKind(settings.serviceSecret))
    : protocolOf("api-key") === protocolOf("password")
      ? protocolOf("password")
      : `${protocolOf("api-key")} for API keys, ${protocolOf("password")} for passwords`;
  return {
    reachable: true,
    version: release.version,
    protocols,
    ...(settings.protocol === "json2" && !release.json2
      ? {
          warning: `ODOO_PROTOCOL=json2, but Odoo ${release.version} has no JSON-2 API (19.0 on): set ODOO_PROTOCOL=auto`,
        }
      : {}),
  };
}
