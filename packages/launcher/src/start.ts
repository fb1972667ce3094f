/**
 * `pnpm start`: refuses an older Node.js with one line saying what to do, then runs the launcher.
 * The check lives here, not in main.ts or startSystem, which the tests also run on the machine's Node.
 */
import { MINIMUM_NODE_MAJOR } from "@odoo-mcp/shared";

const found = process.versions.node;
if (Number(found.split(".")[0]) < MINIMUM_NODE_MAJOR) {
  process.stderr.write(
    `odoo-mcp needs Node.js ${MINIMUM_NODE_MAJOR} or later (found v${found}); install Node ${MINIMUM_NODE_MAJOR} LTS (https://nodejs.org/en/download, or \`nvm install ${MINIMUM_NODE_MAJOR}\`), then run pnpm install && pnpm start again.\n`,
  );
  process.exit(1);
}
await import("./main.js");
