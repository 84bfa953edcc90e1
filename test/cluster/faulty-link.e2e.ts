// The harness's faulty link on real sockets (an echo server behind it): latency, a stall
// that holds bytes without closing anything, resets, and a heal that lets held bytes through.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { FaultyLink } from '../../tools/local-cluster/src/faulty-link.js';
import { eventually } from './jest/eventually.js';

let echo: Server;
let link: FaultyLink;

beforeAll(async () => {
  echo = createServer((socket) => {
    socket.on('error', () => undefined); // the link resets it: expected here
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const address = echo.address();
  link = await FaultyLink.open({ host: '127.0.0.1', port: typeof address === 'object' && address ? address.port : 0 });
});

afterAll(async () => {
  await link.close();
  await new Promise((resolve) => echo.close(resolve));
});

/** A connection through the link, once the link has accepted it (its side may lag the client's). */
async function open(): Promise<Socket> {
  const accepted = link.accepted;
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: link.port }, () => resolve(s));
    s.once('error', reject);
  });
  await eventually(async () => expect(link.accepted).toBeGreaterThan(accepted), 2000, 10);
  return socket;
}

/** Sends `text` and resolves with the echo and the round trip in ms (or 'timeout' after `waitMs`). */
function roundTrip(socket: Socket, text: string, waitMs = 3000): Promise<{ reply: string; ms: number } | 'timeout'> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let reply = '';
    const timer = setTimeout(() => {
      socket.off('data', onData);
      resolve('timeout');
    }, waitMs);
    const onData = (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.length < text.length) return;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve({ reply, ms: performance.now() - started });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(text);
  });
}

describe('the faulty link', () => {
  it('passes bytes untouched when healthy, and adds its latency each way', async () => {
    const socket = await open();
    expect(await roundTrip(socket, 'hello')).toMatchObject({ reply: 'hello' });
    link.set({ latencyMs: 200 });
    const slow = await roundTrip(socket, 'slowly');
    expect(slow).toMatchObject({ reply: 'slowly' });
    expect(slow !== 'timeout' && slow.ms).toBeGreaterThanOrEqual(390);
    link.heal();
    socket.destroy();
  });

  it('holds bytes without closing while stalled, and lets them through when healed', async () => {
    const socket = await open();
    let closed = false;
    socket.on('close', () => (closed = true));
    link.set({ stalled: true });
    expect(await roundTrip(socket, 'held', 1000)).toBe('timeout');
    expect(closed).toBe(false);
    expect(link.openConnections).toBeGreaterThan(0);
    const reply = new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    link.heal();
    expect(await reply).toBe('held');
    socket.destroy();
  });

  it('resets open connections on demand, and at a chunk when lossy', async () => {
    const first = await open();
    const reset = new Promise<string>((resolve) =>
      first.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? '')),
    );
    link.resetAll();
    expect(await reset).toBe('ECONNRESET');
    link.set({ lossRate: 1 });
    const second = await open();
    const lost = new Promise<string>((resolve) =>
      second.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? '')),
    );
    second.write('gone');
    expect(await lost).toBe('ECONNRESET');
    expect(link.resets).toBeGreaterThanOrEqual(2);
    link.heal();
    const third = await open();
    expect(await roundTrip(third, 'back')).toMatchObject({ reply: 'back' });
    third.destroy();
  });
});
