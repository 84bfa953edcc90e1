// A TCP link to one server that fault tests make slow, stalled or lossy at run time:
// latency on every chunk either way, a stall (nothing forwarded, nothing closed: what a
// dead middlebox looks like), resets (RST) of the open connections, and a loss rate that
// resets a connection at a random chunk. Bytes pass untouched, TLS included, so the
// server's certificate must name the link's address (local clusters' name 127.0.0.1).
import { connect, createServer, type Server, type Socket } from 'node:net';
import { DelayQueue } from './delay-queue.js';

export interface LinkTarget {
  host: string;
  port: number;
}

/** What the link does to the bytes now. */
export interface LinkFaults {
  latencyMs: number;
  stalled: boolean;
  /** Chance (0..1) that a chunk resets its connection instead of passing. */
  lossRate: number;
}

const HEALTHY: LinkFaults = { latencyMs: 0, stalled: false, lossRate: 0 };

export class FaultyLink {
  private faults: LinkFaults = { ...HEALTHY };
  private readonly connections = new Set<LinkConnection>();
  /** Connections accepted, and those reset by the link (faults): the test's figures. */
  accepted = 0;
  resets = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly target: LinkTarget,
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  /** Listens on 127.0.0.1 (`port`, or a free one) and forwards to `target`. */
  static open(target: LinkTarget, port = 0): Promise<FaultyLink> {
    // Half-open: a FIN passes through the delay like the bytes before it.
    const server = createServer({ noDelay: true, allowHalfOpen: true });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(new FaultyLink(server, typeof address === 'object' && address ? address.port : port, target));
      });
    });
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  get current(): LinkFaults {
    return { ...this.faults };
  }

  /** Changes some faults; the others stay. Applies to open connections too. */
  set(faults: Partial<LinkFaults>): void {
    this.faults = { ...this.faults, ...faults };
    for (const c of this.connections) c.wake();
  }

  /** Forwards everything held and stops adding faults. */
  heal(): void {
    this.set(HEALTHY);
  }

  /** Resets (RST) every open connection now. */
  resetAll(): void {
    for (const c of [...this.connections]) c.reset();
  }

  async close(): Promise<void> {
    for (const c of [...this.connections]) c.reset();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.accepted += 1;
    const upstream = connect({ host: this.target.host, port: this.target.port, noDelay: true, allowHalfOpen: true });
    const connection = new LinkConnection(client, upstream, () => this.faults, {
      closed: () => this.connections.delete(connection),
      reset: () => (this.resets += 1),
    });
    this.connections.add(connection);
  }
}

/** A chunk of bytes, or null: the sender ended its side (FIN). */
type Segment = Buffer | null;

/** One client connection and its upstream, each direction through its own delay queue. */
class LinkConnection {
  private readonly toServer = new DelayQueue<Segment>();
  private readonly toClient = new DelayQueue<Segment>();
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  private closing = false;

  constructor(
    private readonly client: Socket,
    private readonly upstream: Socket,
    private readonly faults: () => LinkFaults,
    private readonly on: { closed: () => void; reset: () => void },
  ) {
    client.on('data', (chunk) => this.arrive(this.toServer, chunk));
    upstream.on('data', (chunk) => this.arrive(this.toClient, chunk));
    client.on('end', () => this.arrive(this.toServer, null));
    upstream.on('end', () => this.arrive(this.toClient, null));
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.end());
      // What is still delayed goes out first.
      socket.on('close', () => {
        this.closing = true;
        this.pump();
      });
    }
    this.wake();
  }

  /** Re-reads the faults: pauses or resumes reading, forwards what is due. */
  wake(): void {
    if (this.done) return;
    const { stalled } = this.faults();
    for (const socket of [this.client, this.upstream]) {
      if (stalled) socket.pause();
      else socket.resume();
    }
    this.pump();
  }

  reset(): void {
    if (this.done) return;
    this.on.reset();
    this.client.resetAndDestroy();
    this.upstream.resetAndDestroy();
    this.end();
  }

  private arrive(queue: DelayQueue<Segment>, chunk: Segment): void {
    const { latencyMs, lossRate } = this.faults();
    if (chunk && lossRate > 0 && Math.random() < lossRate) {
      this.reset();
      return;
    }
    queue.push(Date.now(), latencyMs, chunk);
    this.pump();
  }

  private pump(): void {
    clearTimeout(this.timer);
    if (this.done || this.faults().stalled) return;
    const now = Date.now();
    for (const chunk of this.toServer.takeDue(now)) forward(this.upstream, chunk);
    for (const chunk of this.toClient.takeDue(now)) forward(this.client, chunk);
    const next = Math.min(this.toServer.nextDue() ?? Infinity, this.toClient.nextDue() ?? Infinity);
    if (next === Infinity && this.closing) this.end();
    else if (next !== Infinity) this.timer = setTimeout(() => this.pump(), Math.max(1, next - now));
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.client.destroy();
    this.upstream.destroy();
    this.on.closed();
  }
}

function forward(to: Socket, segment: Segment): void {
  if (segment === null) to.end();
  else to.write(segment);
}
