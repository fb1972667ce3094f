/**
 * The commands README.md and docs/*.md tell a person to run: every fenced `bash` block (as one unit, its
 * comments dropped and its line continuations joined) and every inline code span that starts with a
 * program a person types (`pnpm …`, `curl …`, `node -e …`). The docs test runs each one that can run on
 * this machine and says why each other one cannot.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface DocumentedCommand {
  /** Where it is written, e.g. `docs/chatgpt.md:12`. */
  where: string;
  /** The command as a person would paste it (a fenced block: its lines, without comments). */
  text: string;
}

const root = new URL("..", import.meta.url);
const PROGRAMS = ["pnpm", "npx", "npm", "node", "curl", "openssl", "sqlite3", "docker", "cloudflared", "apt-get"];

/** A shell text without `#` comments (whole lines and trailing ones) and with `\` continuations joined. */
export function shellText(block: string): string {
  return block
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line && !line.startsWith("#"))
    .join("\n");
}

export function documentedCommands(): DocumentedCommand[] {
  const files = ["README.md", ...readdirSync(new URL("docs/", root)).map((name) => `docs/${name}`)].filter((file) =>
    file.endsWith(".md"),
  );
  const commands: DocumentedCommand[] = [];
  for (const file of files) {
    const text = readFileSync(new URL(file, root), "utf8");
    const lineOf = (index: number) => text.slice(0, index).split("\n").length;
    const fences = [...text.matchAll(/```(\w*)\n([\s\S]*?)```/g)];
    for (const fence of fences) {
      if (fence[1] === "bash")
        commands.push({ where: `${file}:${lineOf(fence.index)}`, text: shellText(fence[2] ?? "") });
    }
    // Inline spans outside the fences (a fence's inner backticks would pair up wrongly).
    let prose = text;
    for (const fence of fences.reverse())
      prose = `${prose.slice(0, fence.index)}${" ".repeat(fence[0].length)}${prose.slice(fence.index + fence[0].length)}`;
    for (const span of prose.matchAll(/`([^`\n]+)`/g)) {
      const code = (span[1] ?? "").trim();
      if (PROGRAMS.includes(code.split(" ")[0] ?? "") && code.includes(" "))
        commands.push({ where: `${file}:${lineOf(span.index)}`, text: code });
    }
  }
  return commands;
}
