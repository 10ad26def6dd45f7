/**
 * The smallest load balancer: each new TCP connection goes to the first of its upstreams that
 * accepts one. A client behind it whose node dies reconnects, and lands on the next node.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export async function failoverProxy(upstreams: string[]): Promise<{ url: string; close: () => Promise<void> }> {
  const targets = upstreams.map((u) => new URL(u));
  const open = new Set<Socket>();
  const server = createServer((client) => {
    client.pause();
    const attempt = (i: number) => {
      if (i >= targets.length) return void client.destroy();
      const up = connect(Number(targets[i].port), targets[i].hostname);
      up.once('error', () => attempt(i + 1));
      up.once('connect', () => {
        open.add(client).add(up);
        const end = () => (client.destroy(), up.destroy(), open.delete(client), open.delete(up));
        up.removeAllListeners('error');
        up.on('error', end).on('close', end);
        client.on('error', end).on('close', end);
        client.pipe(up).pipe(client);
        client.resume();
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
