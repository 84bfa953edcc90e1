// The hub's open TCP connections, from /proc: which of its sockets are established and to
// which port. The parsing is pure; reading /proc is in hubConnections.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const ESTABLISHED = '01';

export interface TcpEntry {
  inode: string;
  remotePort: number;
  state: string;
}

/** Rows of /proc/<pid>/net/tcp or tcp6: "sl local rem st ... uid timeout inode". */
export function parseProcNetTcp(text: string): TcpEntry[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 10)
    .map((f) => ({ remotePort: Number.parseInt(f[2]!.split(':')[1] ?? '', 16), state: f[3]!, inode: f[9]! }));
}

/** Inodes of the sockets among a process's file descriptors ("socket:[12345]"). */
export function socketInodes(links: readonly string[]): Set<string> {
  return new Set(links.map((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1]).filter((i) => i !== undefined));
}

/** Established connections of the owner of `inodes`, counted by remote port. */
export function connectionsByPort(entries: readonly TcpEntry[], inodes: ReadonlySet<string>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const e of entries) {
    if (e.state !== ESTABLISHED || !inodes.has(e.inode)) continue;
    counts.set(e.remotePort, (counts.get(e.remotePort) ?? 0) + 1);
  }
  return counts;
}

/** The process's established TCP connections by remote port. */
export function hubConnections(pid: number): Map<number, number> {
  const fdDir = `/proc/${pid}/fd`;
  const links = readdirSync(fdDir).map((fd) => {
    try {
      return readlinkSync(`${fdDir}/${fd}`);
    } catch {
      return '';
    }
  });
  const entries = ['tcp', 'tcp6'].flatMap((f) => parseProcNetTcp(readFileSync(`/proc/${pid}/net/${f}`, 'utf8')));
  return connectionsByPort(entries, socketInodes(links));
}
