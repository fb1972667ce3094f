import type { IndexedStorage } from "./contract.js";
import { openPostgresStorage } from "./postgres.js";
import { openRedisStorage } from "./redis.js";
import { openSqliteStorage } from "./sqlite.js";

export interface StorageChoice {
  DATABASE_URL?: string | undefined;
  REDIS_URL?: string | undefined;
  /** Already resolved against the launch directory. */
  sqlitePath: string;
}

/** PostgreSQL when DATABASE_URL is set, else Redis when REDIS_URL is set, else the SQLite file. */
export async function openStorage(choice: StorageChoice): Promise<IndexedStorage> {
  if (choice.DATABASE_URL) return openPostgresStorage(choice.DATABASE_URL);
  if (choice.REDIS_URL) return openRedisStorage(choice.REDIS_URL);
  return openSqliteStorage(choice.sqlitePath);
}
