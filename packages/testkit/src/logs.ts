/** The one log capture of the tests: a pino destination that keeps every JSON line a server writes. */
import { Writable } from "node:stream";

export interface LogCapture {
  /** Pass as `destination` to `createLogger`. */
  destination: Writable;
  /** Every JSON log line written so far. */
  logs: Record<string, unknown>[];
  /** The raw log text, to scan for secrets. */
  logText: () => string;
}

export function captureLogs(): LogCapture {
  const chunks: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  return { destination, logs, logText: () => chunks.join("") };
}
