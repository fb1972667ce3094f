/** RFC 6750 `WWW-Authenticate` challenges pointing at the protected resource metadata (RFC 9728). */
import { ALL_SCOPES } from "@odoo-mcp/shared";

const quote = (value: string) => `"${value.replace(/[\\"]/g, "\\$&")}"`;

export function bearerChallenge(
  resourceMetadataUrl: string,
  problem?: { error: string; description?: string; scope?: string },
): string {
  const parts = [
    `resource_metadata=${quote(resourceMetadataUrl)}`,
    `scope=${quote(problem?.scope ?? ALL_SCOPES.join(" "))}`,
  ];
  if (problem) {
    parts.push(`error=${quote(problem.error)}`);
    if (problem.description) parts.push(`error_description=${quote(problem.description)}`);
  }
  return `Bearer ${parts.join(", ")}`;
}
