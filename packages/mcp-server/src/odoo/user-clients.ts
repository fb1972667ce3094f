/**
 * ODOO_AUTH_MODE=user: one connected Odoo client per person, opened from the sealed credentials the
 * token carries (JWE, decrypted with this server's private key), kept in a bounded LRU. Credentials
 * Odoo refuses (a changed password) are remembered, so the next request answers 401 and the client
 * signs the person in again. The credentials are never logged and never leave this module.
 */
import { createHash } from "node:crypto";
import {
  createOdooClient,
  type OdooClient,
  OdooError,
  type OdooProtocolSetting,
  type OdooSettings,
} from "@odoo-mcp/odoo-client";
import { CREDENTIAL_JWE, type OdooCredential } from "@odoo-mcp/shared";
import { compactDecrypt, importJWK, type JWK } from "jose";
import { LRUCache } from "lru-cache";
import type { Caller } from "../tools/index.js";
import { FieldCatalog } from "./fields.js";

export class CredentialsRejected extends Error {
  override name = "CredentialsRejected";
}

export interface UserOdoo {
  odoo: OdooClient;
  fields: FieldCatalog;
}

const SIGN_IN_AGAIN = "your Odoo password or API key no longer works: sign in again (reconnect the application).";
const fingerprintOf = (sealed: string) => createHash("sha256").update(sealed).digest("base64url");

export class UserOdooClients {
  private readonly clients: LRUCache<string, UserOdoo & { fingerprint: string }>;
  private readonly refused: LRUCache<string, true>;
  private key: ReturnType<typeof importJWK> | undefined;

  constructor(
    private readonly privateJwk: JWK,
    private readonly odooUrl: string,
    private readonly timeoutMs: number,
    max: number,
    private readonly protocol: OdooProtocolSetting = "auto",
    private readonly xmlrpcClient?: OdooSettings["xmlrpcClient"],
  ) {
    this.clients = new LRUCache({ max });
    this.refused = new LRUCache({ max, ttl: 24 * 3600_000 });
  }

  /** The person's Odoo client; throws CredentialsRejected when the token's credentials cannot be used. */
  async forCaller(caller: Caller): Promise<UserOdoo> {
    const sealed = caller.odooCredential;
    if (!sealed || !caller.sub) throw new CredentialsRejected("This token carries no Odoo credentials; sign in again.");
    const fingerprint = fingerprintOf(sealed);
    if (this.refused.has(fingerprint)) throw new CredentialsRejected(`Sign-in to Odoo failed: ${SIGN_IN_AGAIN}`);
    const cached = this.clients.get(caller.sub);
    if (cached?.fingerprint === fingerprint) return cached;

    const credential = await this.open(sealed);
    const client = createOdooClient({
      url: this.odooUrl,
      db: credential.db,
      username: credential.login,
      secret: credential.secret,
      timeoutMs: this.timeoutMs,
      rejectedMessage: SIGN_IN_AGAIN,
      protocol: this.protocol,
      ...(this.xmlrpcClient ? { xmlrpcClient: this.xmlrpcClient } : {}),
    });
    const sub = caller.sub;
    const odoo = this.watch(client, () => {
      this.clients.delete(sub);
      this.refused.set(fingerprint, true);
    });
    try {
      await odoo.signIn();
    } catch (error) {
      if (error instanceof OdooError && error.kind === "credentials")
        throw new CredentialsRejected(`Sign-in to Odoo failed: ${SIGN_IN_AGAIN}`);
      throw error;
    }
    const entry = { odoo, fields: new FieldCatalog(odoo), fingerprint };
    this.clients.set(sub, entry);
    return entry;
  }

  /** The person's client if one is kept (a download link opened without a bearer token). */
  kept(sub: string): UserOdoo | undefined {
    return this.clients.get(sub);
  }

  private async open(sealed: string): Promise<OdooCredential> {
    this.key ??= importJWK(this.privateJwk, CREDENTIAL_JWE.alg);
    try {
      const { plaintext } = await compactDecrypt(sealed, await this.key, {
        keyManagementAlgorithms: [CREDENTIAL_JWE.alg],
        contentEncryptionAlgorithms: [CREDENTIAL_JWE.enc],
      });
      return JSON.parse(new TextDecoder().decode(plaintext)) as OdooCredential;
    } catch {
      throw new CredentialsRejected("The token's Odoo credentials cannot be opened by this server; sign in again.");
    }
  }

  /** Calls through, noticing when Odoo starts refusing the credentials. */
  private watch(client: OdooClient, onRefused: () => void): OdooClient {
    const noticing = async <T>(call: Promise<T>): Promise<T> => {
      try {
        return await call;
      } catch (error) {
        if (error instanceof OdooError && error.kind === "credentials") onRefused();
        throw error;
      }
    };
    const render = client.renderReport?.bind(client);
    const open = client.openReport?.bind(client);
    const html = client.renderReportHtml?.bind(client);
    return {
      signIn: () => noticing(client.signIn()),
      executeKw: (model, method, args, kwargs) => noticing(client.executeKw(model, method, args, kwargs)),
      version: () => client.version(),
      server: () => client.server(),
      ...(render ? { renderReport: (reportName, ids) => noticing(render(reportName, ids)) } : {}),
      ...(open ? { openReport: (reportName, ids, options) => noticing(open(reportName, ids, options)) } : {}),
      ...(html ? { renderReportHtml: (reportName, ids, maxBytes) => noticing(html(reportName, ids, maxBytes)) } : {}),
    };
  }
}
