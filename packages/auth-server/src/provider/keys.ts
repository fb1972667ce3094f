import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { JWK } from "oidc-provider";
import type { AuthConfig } from "../config.js";
import type { Storage } from "../storage/contract.js";

export interface Keys {
  /** Private signing keys, RS256 first (oidc-provider needs one for ID tokens). */
  jwks: { keys: JWK[] };
  /** Cookie signing keys, newest first. */
  cookieKeys: string[];
}

function generateSigningKey(): JWK {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" }) as JWK;
  return { ...jwk, kid: randomBytes(12).toString("base64url"), alg: "RS256", use: "sig" };
}

/**
 * Signing and cookie keys from configuration, or else generated once and kept in storage, so a
 * restart (or another replica on the same storage) signs and verifies with the same keys.
 */
export async function loadKeys(config: AuthConfig, storage: Storage): Promise<Keys> {
  const jwks =
    config.AUTH_JWKS ??
    (JSON.parse(await storage.setSettingIfAbsent("jwks", JSON.stringify({ keys: [generateSigningKey()] }))) as {
      keys: JWK[];
    });
  const cookieKeys =
    config.AUTH_COOKIE_KEYS.length > 0
      ? config.AUTH_COOKIE_KEYS
      : (JSON.parse(
          await storage.setSettingIfAbsent("cookie_keys", JSON.stringify([randomBytes(32).toString("base64url")])),
        ) as string[]);
  return { jwks: jwks as { keys: JWK[] }, cookieKeys };
}
