/** The baseline of benchmark 4: oidc-provider's own in-memory adapter behind the Storage contract. */
import type { Storage, StorageAdapter } from "@odoo-mcp/auth-server";
import type { Adapter, AdapterPayload } from "oidc-provider";
import MemoryAdapter from "oidc-provider/lib/adapters/memory_adapter.js";

export function memoryStorage(): Storage {
  const adapters = new Map<string, StorageAdapter>();
  /** Claimed ids: checked and added in one synchronous step, so of racing claims one wins. */
  const claimed = new Set<string>();
  const settings = new Map<string, string>();
  const adapter = (model: string) => {
    let existing = adapters.get(model);
    if (!existing) {
      const base = new (MemoryAdapter as unknown as new (name: string) => Adapter)(model);
      // Our contract reads expiresIn 0 as "never expires"; oidc-provider's adapter wants undefined.
      existing = Object.assign(Object.create(base) as Adapter, {
        upsert: (id: string, payload: AdapterPayload, expiresIn: number) =>
          base.upsert(id, payload, expiresIn || (undefined as unknown as number)),
        async claim(id: string) {
          const key = `${model}:${id}`;
          if (claimed.has(key)) return false;
          claimed.add(key);
          const payload = await base.find(id);
          if (!payload || payload.consumed) return false;
          await base.consume(id);
          return true;
        },
      });
      adapters.set(model, existing);
    }
    return existing;
  };
  return {
    kind: "memory",
    adapter,
    async getSetting(key) {
      return settings.get(key);
    },
    async setSetting(key, value) {
      settings.set(key, value);
    },
    async setSettingIfAbsent(key, value) {
      if (!settings.has(key)) settings.set(key, value);
      return settings.get(key) as string;
    },
    async list(): Promise<(AdapterPayload & { id: string })[]> {
      return [];
    },
    async sweep() {
      return 0;
    },
    async check() {},
    async close() {},
  };
}
