import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  randomBytes,
  sign,
  verify,
} from "node:crypto";
import type { JWK } from "oidc-provider";
import type { AuthConfig } from "../config.js";
import type { Storage } from "../storage/contract.js";

export interface Keys {
  /** Private signing keys, RS256 first (oidc-provider needs one for ID tokens). */
  jwks: { keys: JWK[] };
  /** Cookie signing keys, newest first. */
  cookieKeys: string[];
}

/** The members a private signing key of each type must have (what oidc-provider checks, and more). */
const PRIVATE_MEMBERS: Record<string, readonly string[]> = {
  RSA: ["n", "e", "d", "p", "q", "dp", "dq", "qi"],
  EC: ["crv", "x", "y", "d"],
  OKP: ["crv", "x", "d"],
};

/** Whether the key signs a message its own public part verifies: members that parse but do not fit fail. */
function signsAndVerifies(jwk: Record<string, unknown>): boolean {
  try {
    const key = createPrivateKey({ key: jwk as JsonWebKey, format: "jwk" });
    const digest = key.asymmetricKeyType === "ed25519" || key.asymmetricKeyType === "ed448" ? null : "sha256";
    const message = Buffer.from("odoo-mcp signing key check");
    return verify(digest, message, createPublicKey(key), sign(digest, message, key));
  } catch {
    return false;
  }
}

/**
 * Why a parsed AUTH_JWKS cannot sign, or undefined when it can. Keys are named by position and members by
 * name only: the message is printed at start-up, so it never carries a member's value (oidc-provider's
 * own refusal attaches the whole offending key, private members included, to its error).
 */
export function signingKeysProblem(value: unknown): string | undefined {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) return 'expected a JSON Web Key Set: {"keys":[…private JWKs…]}';
  for (const [index, key] of keys.entries()) {
    const at = `key ${index + 1}`;
    if (typeof key !== "object" || key === null || Array.isArray(key)) return `${at} is not a JSON object`;
    const jwk = key as Record<string, unknown>;
    const members = typeof jwk.kty === "string" ? PRIVATE_MEMBERS[jwk.kty] : undefined;
    if (!members) return `${at}: expected kty RSA, EC or OKP (a private signing key)`;
    const missing = members.filter((member) => typeof jwk[member] !== "string" || !jwk[member]);
    if (missing.length > 0) return `${at} (${jwk.kty}): missing the private key member(s) ${missing.join(", ")}`;
    if (!signsAndVerifies(jwk)) return `${at} (${jwk.kty}): not a valid private key (its members do not fit together)`;
  }
  if (!keys.some((key) => (key as { kty?: unknown }).kty === "RSA"))
    return "expected an RSA key (RS256 signs ID tokens)";
  return undefined;
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
