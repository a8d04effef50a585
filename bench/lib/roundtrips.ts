import net from 'node:net';

/** Traffic is what the tools said to the server while the counter was on. */
export interface Traffic {
  connections: number;
  /** turns counts the client's sends that follow an answer from the server: its round trips. */
  turns: number;
  bytesSent: number;
  bytesReceived: number;
}

/**
 * RoundTripCounter is a TCP proxy in front of the server. Each time a client sends after the server last
 * spoke counts as one round trip, so pipelined queries count once and a query per message counts per message.
 */
export class RoundTripCounter {
  private traffic: Traffic = { connections: 0, turns: 0, bytesSent: 0, bytesReceived: 0 };
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly targetPort: number) {
    this.server = net.createServer((client) => this.relay(client));
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this.port;
  }

  /** take returns the traffic since the last take and starts counting afresh. */
  take(): Traffic {
    const taken = this.traffic;
    this.traffic = { connections: 0, turns: 0, bytesSent: 0, bytesReceived: 0 };
    return taken;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    this.traffic.connections++;
    let serverSpokeLast = true;
    client.on('data', (chunk: Buffer) => {
      if (serverSpokeLast) this.traffic.turns++;
      serverSpokeLast = false;
      this.traffic.bytesSent += chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      serverSpokeLast = true;
      this.traffic.bytesReceived += chunk.length;
      client.write(chunk);
    });
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  }
}
