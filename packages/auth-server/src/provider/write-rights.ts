/**
 * `odoo:write` follows the person's Odoo rights, not only their first consent. In service mode the
 * tools write as the service account, so a token must not carry `odoo:write` once Odoo no longer lets
 * the person change records. Each token request (code exchange and refresh) asks Odoo, with the
 * service account, what the person may do (cached for ODOO_RIGHTS_TTL):
 * - no longer an active internal user: the grant ends (`invalid_grant`);
 * - may no longer write: `odoo:write` is rejected on the grant (the /account page says so) and left
 *   out of the token.
 * When Odoo cannot be asked, the rights seen at the person's last sign-in stand.
 */
import { createOdooClient, type OdooClient, type UserRights, userRights } from "@odoo-mcp/odoo-client";
import { type Logger, SCOPES } from "@odoo-mcp/shared";
import { LRUCache } from "lru-cache";
import { errors, type KoaContextWithOIDC } from "oidc-provider";
import type { AuthConfig } from "../config.js";
import type { AccountStore, StoredAccount } from "./accounts.js";

type GrantEntity = NonNullable<KoaContextWithOIDC["oidc"]["entities"]["Grant"]>;

/** Whether a grant holds `odoo:write` for `resource` (rejected scopes excluded). */
export const grantHoldsWrite = (grant: GrantEntity, resource: string) =>
  (grant.getResourceScope(resource) ?? "").split(" ").includes(SCOPES.write);

export function createWriteRights(config: AuthConfig, accounts: AccountStore, logger: Logger) {
  const service: OdooClient | undefined =
    config.ODOO_AUTH_MODE === "service" && config.ODOO_USERNAME && config.ODOO_PASSWORD
      ? createOdooClient({
          url: config.ODOO_URL,
          db: config.ODOO_DB,
          username: config.ODOO_USERNAME,
          secret: config.ODOO_PASSWORD,
          timeoutMs: 10_000,
          rejectedMessage: "the service account's credentials were refused; check ODOO_USERNAME and ODOO_PASSWORD.",
          protocol: "auto",
        })
      : undefined;
  const cache = new LRUCache<string, UserRights>({ max: 10_000, ttl: config.ODOO_RIGHTS_TTL * 1000 });
  const rules = { writeGroup: config.ODOO_WRITE_GROUP, writeCheckModel: config.ODOO_WRITE_CHECK_MODEL };

  const rightsOf = async (account: StoredAccount): Promise<UserRights> => {
    const cached = config.ODOO_RIGHTS_TTL > 0 ? cache.get(account.sub) : undefined;
    if (cached) return cached;
    try {
      const found = await userRights(service as OdooClient, account.uid, rules);
      // Without ODOO_SERVICE_WRITES the service account writes for nobody, whatever Odoo lets them do.
      const rights = { ...found, canWrite: found.canWrite && config.ODOO_SERVICE_WRITES };
      if (config.ODOO_RIGHTS_TTL > 0) cache.set(account.sub, rights);
      return rights;
    } catch (error) {
      logger.warn({ event: "odoo_rights_unavailable", sub: account.sub, err: error });
      return { internal: true, canWrite: account.canWrite };
    }
  };

  return {
    /** Whether rights are checked at token requests (service mode with the service account set). */
    enabled: Boolean(service),

    /**
     * An introspection answer held to the person's Odoo rights now (cached for ODOO_RIGHTS_TTL), not those
     * of when the token was issued: a token whose person left Odoo is no longer active, one whose person
     * may no longer write loses `odoo:write` (service mode: the service account would write for them).
     */
    async introspected(answer: Record<string, unknown>): Promise<Record<string, unknown>> {
      if (!service || answer.active !== true || typeof answer.sub !== "string") return answer;
      const account = await accounts.find(answer.sub);
      if (!account) return answer;
      const rights = await rightsOf(account);
      if (!rights.internal) {
        logger.warn({ event: "oauth_token_inactive", sub: account.sub, reason: "odoo_user_inactive" });
        return { active: false };
      }
      if (rights.canWrite) return answer;
      const scope = String(answer.scope ?? "")
        .split(" ")
        .filter((item) => item && item !== SCOPES.write)
        .join(" ");
      return { ...answer, scope, odoo_can_write: false };
    },

    /** The MCP resource's scopes the token being issued may carry; throws when the grant must end. */
    async scopeFor(ctx: KoaContextWithOIDC, resource: string, all: string): Promise<string> {
      if (!service || ctx.oidc.route !== "token") return all;
      const accountId = ctx.oidc.entities.Account?.accountId;
      const account = accountId ? await accounts.find(accountId) : undefined;
      if (!account) return all;
      const rights = await rightsOf(account);
      if (!rights.internal) {
        logger.warn({ event: "oauth_grant_refused", sub: account.sub, reason: "odoo_user_inactive" });
        throw new errors.InvalidGrant("the Odoo user of this grant is no longer active; sign in again");
      }
      if (rights.canWrite !== account.canWrite) {
        await accounts.save({ ...account, canWrite: rights.canWrite });
        logger.warn({ event: "odoo_write_rights_changed", sub: account.sub, can_write: rights.canWrite });
      }
      if (rights.canWrite) return all;
      const grant = ctx.oidc.entities.Grant;
      if (grant && grantHoldsWrite(grant, resource)) {
        grant.rejectResourceScope(resource, SCOPES.write);
        grant.rejectOIDCScope(SCOPES.write);
        await grant.save();
        logger.warn({ event: "oauth_write_withdrawn", sub: account.sub, client_id: grant.clientId });
      }
      return all
        .split(" ")
        .filter((scope) => scope !== SCOPES.write)
        .join(" ");
    },
  };
}

export type WriteRights = ReturnType<typeof createWriteRights>;
