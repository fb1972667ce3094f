declare module "oidc-provider/lib/adapters/memory_adapter.js" {
  const MemoryAdapter: unknown;
  export default MemoryAdapter;
}
