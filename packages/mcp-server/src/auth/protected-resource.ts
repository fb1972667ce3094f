/** RFC 9728 protected resource metadata: how a client that knows only the MCP URL finds everything else. */
import { ALL_SCOPES, canonicalUrl } from "@odoo-mcp/shared";

export interface ProtectedResource {
  /** The canonical MCP URL, e.g. https://mcp.example.com/mcp */
  resource: string;
  /** Where the metadata document lives: /.well-known/oauth-protected-resource + the resource's path. */
  metadataUrl: string;
  document: Record<string, unknown>;
}

export function protectedResource(resourceUrl: string, issuer: string): ProtectedResource {
  const url = new URL(resourceUrl);
  const path = canonicalUrl(url.pathname);
  const resource = `${url.origin}${path}`;
  return {
    resource,
    metadataUrl: `${url.origin}/.well-known/oauth-protected-resource${path}`,
    document: {
      resource,
      authorization_servers: [issuer],
      scopes_supported: [...ALL_SCOPES],
      bearer_methods_supported: ["header"],
      resource_name: "Odoo MCP",
      resource_documentation: `${url.origin}/`,
    },
  };
}
