/** Vitest's global set-up: the views built once before the test files start servers that read them. */
import { loadViews } from "./load.js";

export default async function setup(): Promise<void> {
  await loadViews();
}
