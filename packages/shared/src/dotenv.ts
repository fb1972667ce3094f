import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** The directory the command was started from: pnpm runs a package's script in the package, but says where it was called in INIT_CWD. */
export const launchDirectory = () => process.env.INIT_CWD ?? process.cwd();

/**
 * Reads `.env` from the launch directory, if there is one, into process.env. Variables already set in
 * the environment win (Node's own loader; no dependency needed on Node 20.12+ and 22).
 */
export function loadDotEnv(path = resolve(launchDirectory(), ".env")): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}
