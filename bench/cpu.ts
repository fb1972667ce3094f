/**
 * CPU time per request of each process of a scenario (all its threads, from /proc/<pid>/stat), the figure
 * that holds on a small shared machine where req/s swings between runs: the CPU a process spends for N
 * requests does not depend on how the cores were shared meanwhile.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc's utime and stime (almost always 100). */
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** User + system CPU of a process since it started, in microseconds. */
function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

export type Processes = Record<string, number>;

/** The CPU each process (and this driver, as `driver`) has used so far, in microseconds. */
export function cpuSnapshot(processes: Processes): Record<string, number> {
  const { user, system } = process.cpuUsage();
  return {
    ...Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, processCpuMicros(pid)])),
    driver: user + system,
  };
}

/** CPU microseconds per request of each process between two snapshots. */
export function cpuPerRequest(before: Record<string, number>, after: Record<string, number>, requests: number) {
  return Object.fromEntries(
    Object.keys(after).map((name) => [name, requests > 0 ? ((after[name] ?? 0) - (before[name] ?? 0)) / requests : 0]),
  );
}
