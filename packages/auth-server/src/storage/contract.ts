import type { Adapter, AdapterPayload } from "oidc-provider";

/** oidc-provider's Adapter, with an atomic claim. */
export interface StorageAdapter extends Adapter {
  /**
   * `consume`, answering whether this call consumed the payload: of any number of concurrent claims of
   * one payload, on any replica, exactly one gets true; false when it was consumed already or is gone.
   */
  claim(id: string): Promise<boolean>;
}

/** A stored payload with its id, as the listings answer it. */
export type StoredPayload = AdapterPayload & { id: string };

/**
 * What the auth server keeps, whatever the engine: oidc-provider's models (through its Adapter
 * interface), a few settings (generated secrets and keys) and listings for the operator endpoints.
 *
 * Adapter contract details the rest of the server relies on:
 * - `consume` records the time of the *first* consumption (epoch seconds) in `payload.consumed`;
 *   later calls keep it (the refresh-token reuse grace is measured from it); `claim` does the same and
 *   says which call was first (refresh-token rotation has one winner).
 * - `upsert` with `expiresIn` 0 or undefined stores a payload that never expires (clients, accounts).
 * - `find` never returns an expired payload.
 * - `revokeByGrantId` removes every payload of the model that belongs to the grant.
 *
 */
export interface Storage {
  /** Engine name for /health (`sqlite`, `redis`, `postgres`). */
  readonly kind: string;
  adapter(model: string): StorageAdapter;
  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;
  /** Stores `value` unless the key exists, and returns what is stored: replicas agree on the first writer. */
  setSettingIfAbsent(key: string, value: string): Promise<string>;
  /** Every unexpired payload of a model, with its id. */
  list(model: string): Promise<StoredPayload[]>;
  /** Deletes expired payloads; returns how many. */
  sweep(): Promise<number>;
  /** Throws when the engine cannot serve requests. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Indexed queries for the pages and the operator endpoints, so they read only what they show instead of
 * listing a whole model: a person's grants, a client's grants, what a grant issued. The three engines
 * here answer them from indexes.
 */
export interface IndexedQueries {
  /** The unexpired grants (model `Grant`) of an account (`payload.accountId`), with their ids. */
  grantsOfAccount(accountId: string): Promise<StoredPayload[]>;
  /** The unexpired grants (model `Grant`) of a client (`payload.clientId`), with their ids. */
  grantsOfClient(clientId: string): Promise<StoredPayload[]>;
  /** Every unexpired payload of a model issued under a grant (`payload.grantId`), with its id. */
  listByGrantId(model: string, grantId: string): Promise<StoredPayload[]>;
}

export type IndexedStorage = Storage & IndexedQueries;

/**
 * The storage with the indexed queries: its own, or, for a store that has none (the benchmark's
 * in-memory one), answered by filtering `list`.
 */
export function withIndexedQueries(storage: Storage & Partial<IndexedQueries>): IndexedStorage {
  if (storage.grantsOfAccount && storage.grantsOfClient && storage.listByGrantId) return storage as IndexedStorage;
  const where = async (model: string, field: string, value: string) =>
    (await storage.list(model)).filter((payload) => payload[field] === value);
  return Object.assign(Object.create(storage) as Storage, {
    grantsOfAccount: (accountId: string) => where("Grant", "accountId", accountId),
    grantsOfClient: (clientId: string) => where("Grant", "clientId", clientId),
    listByGrantId: (model: string, grantId: string) => where(model, "grantId", grantId),
  });
}
