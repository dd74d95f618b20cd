// The sandbox on a school network: every port it opens answers on the loopback interface only, so nobody
// else on the network reaches the API (whose /_local/token mints admin tokens), the console, the SMTP
// stand-in or the emulators. Checked as another machine would try: a connection to each port through
// this machine's other addresses (its network interfaces, and 127.0.0.2, which on Linux reaches a socket
// bound to every interface but not one bound to 127.0.0.1) is refused. `HOST` widens the person-facing
// ports (API, console, SMTP) and says so when the sandbox starts.
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { call } from './api-client.ts';
import { sandboxDir, startSandboxProcess } from './sandbox-process.ts';

/** Addresses of this machine other than 127.0.0.1: where a neighbour on the network would connect. */
const otherAddresses = (): string[] => [
  '127.0.0.2',
  ...Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry!.address),
];

/** 'open' when a TCP connection to host:port is accepted, else the refusal's code. */
const reach = (host: string, port: number): Promise<string> =>
  new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });

const portOf = (url: string) => Number(new URL(url).port);

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the sandbox stays on loopback', () => {
  it('answers on 127.0.0.1 and refuses every other address of this machine, on every port it opens', async () => {
    // Arrange: every port the shared sandbox opened, as /_local/health and the suite name them
    const { body } = await call('/_local/health');
    const ports: Record<string, number> = {
      api: portOf(inject('apiUrl')),
      console: portOf(inject('consoleUrl')),
      smtp: body.emulators.smtp.port,
      'mail viewer': portOf(body.emulators.ses.mailViewer),
      ses: portOf(body.emulators.ses.endpoint),
      sqs: portOf(body.emulators.sqs.endpoint),
      eventbridge: portOf(body.emulators.eventbridge.endpoint),
      s3: portOf(body.emulators.s3.endpoint),
      dynamodb: portOf(body.emulators.dynamodb.endpoint),
    };

    // Act
    const onLoopback: Record<string, string> = {};
    const openElsewhere: Record<string, string[]> = {};
    for (const [name, port] of Object.entries(ports)) {
      onLoopback[name] = await reach('127.0.0.1', port);
      openElsewhere[name] = [];
      for (const address of otherAddresses()) if ((await reach(address, port)) === 'open') openElsewhere[name]!.push(address);
    }

    // Assert: open on loopback, and on no other address
    expect(onLoopback).toEqual(Object.fromEntries(Object.keys(ports).map((name) => [name, 'open'])));
    expect(openElsewhere).toEqual(Object.fromEntries(Object.keys(ports).map((name) => [name, []])));
  });

  it('HOST widens the API, the console and SMTP, with a warning at start; the emulators stay on loopback', async () => {
    // Arrange
    const dir = sandboxDir('helpdesk-host-');
    dirs.push(dir);

    // Act
    const sandbox = await startSandboxProcess(dir, { HOST: '0.0.0.0' });
    let api: string;
    let sqs: string;
    try {
      const health = (await (await fetch(`${sandbox.url}/_local/health`)).json()) as { emulators: { sqs: { endpoint: string } } };
      api = await reach('127.0.0.2', portOf(sandbox.url));
      sqs = await reach('127.0.0.2', portOf(health.emulators.sqs.endpoint));
    } finally {
      await sandbox.stop();
    }

    // Assert
    expect(api).toBe('open');
    expect(sqs).not.toBe('open');
    expect(sandbox.output()).toMatch(/HOST=0\.0\.0\.0.*other machines/s);
    expect(sandbox.output()).toContain('/_local/token');
  });
});
