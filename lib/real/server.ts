/**
 * A loopback HTTP server with a fixed response delay (the "slow IO" of the experiments), and a bounded client.
 * Port 0 and 127.0.0.1 only; the server is tracked so the experiment's clean-up closes it and its sockets.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { RealRunError } from "./errors";
import type { RealResources } from "./resources";

/** A running delay server: its URL and what it has seen. */
export interface DelayServer {
  url: string;
  /** Requests answered so far. */
  served(): number;
  /** Highest number of requests in flight at the same moment (server side). */
  peakInFlight(): number;
  /** Resets the counters (between runs). */
  resetStats(): void;
}

/** Starts an HTTP server on 127.0.0.1 (port 0) that answers every request after `delayMs` ms. */
export async function startDelayServer(res: RealResources, delayMs: number): Promise<DelayServer> {
  let inFlight = 0;
  let peak = 0;
  let served = 0;
  const server = res.server(
    http.createServer((_req, reply) => {
      inFlight++;
      if (inFlight > peak) peak = inFlight;
      const t = res.closed
        ? null
        : res.setTimeout(() => {
            inFlight--;
            served++;
            reply.writeHead(200, { "content-type": "text/plain" });
            reply.end("ok");
          }, delayMs);
      reply.once("close", () => {
        if (t && !reply.writableEnded) {
          res.clearTimer(t);
          inFlight--;
        }
      });
    }),
  );
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    served: () => served,
    peakInFlight: () => peak,
    resetStats: () => {
      peak = inFlight;
      served = 0;
    },
  };
}

/** A keep-alive agent with no socket limit, destroyed by the tracker's clean-up. */
export function trackedAgent(res: RealResources, maxSockets = Infinity): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  res.onClose(() => agent.destroy());
  return agent;
}

/** One GET with a per-request time limit (ms); resolves with the status code. */
export function httpGet(agent: http.Agent, url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: timeoutMs }, (r) => {
      r.resume();
      r.once("end", () => resolve(r.statusCode ?? 0));
      r.once("error", reject);
    });
    req.once("timeout", () => {
      const fix = "pass a larger `requestTimeoutMs` (where the experiment has one) or a smaller workload";
      req.destroy(new RealRunError(`A request to ${url} got no answer within ${timeoutMs} ms: ${fix}.`));
    });
    req.once("error", reject);
  });
}

/** Runs `count` async jobs with at most `limit` in flight at once (a tiny p-limit); resolves when all are done. */
export async function runLimited(count: number, limit: number, job: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      await job(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
}
