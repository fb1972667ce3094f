import { errors, type KoaContextWithOIDC, type ResourceServer } from "oidc-provider";
import type { AuthConfig } from "../config.js";
import type { WriteRights } from "./write-rights.js";

/** The MCP resource URL without a trailing slash: `/mcp` and `/mcp/` name the same resource. */
export function canonicalResource(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
}

/**
 * RFC 8707: every token is audience-bound to the MCP resource; a request without `resource` gets it,
 * an unknown one is `invalid_target`. Access tokens are opaque, checked by introspection.
 */
export function resourceIndicators(config: AuthConfig, resourceScopes: string, writeRights?: WriteRights) {
  const resource = canonicalResource(config.MCP_RESOURCE_URL);
  const info: ResourceServer = {
    scope: resourceScopes,
    audience: resource,
    accessTokenFormat: "opaque",
    accessTokenTTL: config.ACCESS_TOKEN_TTL,
  };
  return {
    enabled: true,
    defaultResource: async () => resource,
    useGrantedResource: async () => true,
    getResourceServerInfo: async (ctx: KoaContextWithOIDC, indicator: string) => {
      if (canonicalResource(indicator) !== resource) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
      if (!writeRights) return info;
      // A token carries only the scopes the person's Odoo rights allow now.
      return { ...info, scope: await writeRights.scopeFor(ctx, resource, resourceScopes) };
    },
  };
}
