import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Middleware } from "koa";
import { InvalidRequest, InvalidToken } from "../http/errors.js";
import type { Storage } from "../storage/contract.js";

const SETTING = "admin_token_sha256";
const REALM = 'Bearer realm="odoo-mcp admin"';
const sha256 = (value: string) => createHash("sha256").update(value).digest();

/**
 * The operator's bearer token: ADMIN_TOKEN, or else one generated on first start. Only its SHA-256 is
 * stored; a generated token is returned once so that it can be printed once.
 */
export async function ensureAdminToken(configured: string | undefined, storage: Storage) {
  if (configured) return { digest: sha256(configured), generated: undefined };
  const candidate = randomBytes(32).toString("base64url");
  const stored = await storage.setSettingIfAbsent(SETTING, sha256(candidate).toString("hex"));
  const generated = stored === sha256(candidate).toString("hex") ? candidate : undefined;
  return { digest: Buffer.from(stored, "hex"), generated };
}

/** RFC 6750 bearer check for the operator endpoints. */
export function requireAdmin(digest: Buffer): Middleware {
  return async (ctx, next) => {
    const header = ctx.get("authorization");
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(header);
    if (!match) {
      throw new InvalidRequest("this endpoint needs the admin bearer token", { status: 401, challenge: REALM });
    }
    if (!timingSafeEqual(sha256(match[1] as string), digest)) {
      throw new InvalidToken("the admin token is not valid", { challenge: `${REALM}, error="invalid_token"` });
    }
    await next();
  };
}
