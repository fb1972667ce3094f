import type { Adapter, AdapterPayload } from "oidc-provider";

/**
 * What the auth server keeps, whatever the engine: oidc-provider's models (through its Adapter
 * interface), a few settings (generated secrets and keys) and listings for the operator endpoints.
 *
 * Adapter contract details the rest of the server relies on:
 * - `consume` records the time of the *first* consumption (epoch seconds) in `payload.consumed`;
 *   later calls keep it (the refresh-token reuse grace is measured from it).
 * - `upsert` with `expiresIn` 0 or undefined stores a payload that never expires (clients, accounts).
 * - `find` never returns an expired payload.
 * - `revokeByGrantId` removes every payload of the model that belongs to the grant.
 */
export interface Storage {
  /** Engine name for /health (`sqlite`, `redis`, `postgres`). */
  readonly kind: string;
  adapter(model: string): Adapter;
  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;
  /** Stores `value` unless the key exists, and returns what is stored: replicas agree on the first writer. */
  setSettingIfAbsent(key: string, value: string): Promise<string>;
  /** Every unexpired payload of a model, with its id. */
  list(model: string): Promise<(AdapterPayload & { id: string })[]>;
  /** Deletes expired payloads; returns how many. */
  sweep(): Promise<number>;
  /** Throws when the engine cannot serve requests. */
  check(): Promise<void>;
  close(): Promise<void>;
}
