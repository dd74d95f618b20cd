// The signing key in AWS: an SSM SecureString that notify makes on first use (Overwrite false, so racing cold
// starts agree on one value) and the verifying functions only read (SSM mocked); a file in the sandbox.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetParameterCommand, ParameterAlreadyExists, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { SIGNING_KEY_FILE_ENV, SIGNING_KEY_PARAMETER_ENV } from '#shared/adapters/signing-key.ts';

const ssm = mockClient(SSMClient);
const NAME = '/helpdesk/test/signing-key';
const STORED = 'k'.repeat(64);
const notFound = () => new ParameterNotFound({ message: 'not found', $metadata: {} });

/** A fresh module: each cold start reads the key again. */
const freshAdapter = async () => {
  vi.resetModules();
  return import('#shared/adapters/signing-key.ts');
};

beforeEach(() => {
  vi.stubEnv(SIGNING_KEY_PARAMETER_ENV, NAME);
  vi.stubEnv(SIGNING_KEY_FILE_ENV, '');
  delete process.env[SIGNING_KEY_FILE_ENV];
});

afterEach(() => {
  ssm.reset();
  vi.unstubAllEnvs();
});

describe('the signing key', () => {
  it('reads the SecureString decrypted, once per cold start', async () => {
    // Arrange
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: STORED } });
    const { signingKey } = await freshAdapter();

    // Act
    const first = await signingKey();
    const second = await signingKey();

    // Assert
    expect(first.toString('utf8')).toBe(STORED);
    expect(second).toBe(first);
    expect(ssm.commandCalls(GetParameterCommand).map((call) => call.args[0].input)).toEqual([{ Name: NAME, WithDecryption: true }]);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('makes the key once when notify needs it first: a random SecureString put without overwriting', async () => {
    // Arrange
    let put = '';
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(notFound())
      .callsFake(() => ({ Parameter: { Value: put } }));
    ssm.on(PutParameterCommand).callsFake((input: { Value: string }) => {
      put = input.Value;
      return {};
    });
    const { signingKeyCreatingIfMissing } = await freshAdapter();

    // Act
    const key = await signingKeyCreatingIfMissing();

    // Assert
    const [call] = ssm.commandCalls(PutParameterCommand);
    expect(call!.args[0].input).toMatchObject({ Name: NAME, Type: 'SecureString', Tier: 'Standard', Overwrite: false });
    expect(put).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(key.toString('utf8')).toBe(put);
  });

  it('uses the value another cold start put first when both try to make it', async () => {
    // Arrange
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(notFound())
      .resolves({ Parameter: { Value: STORED } });
    ssm.on(PutParameterCommand).rejects(new ParameterAlreadyExists({ message: 'exists', $metadata: {} }));
    const { signingKeyCreatingIfMissing } = await freshAdapter();

    // Act
    const key = await signingKeyCreatingIfMissing();

    // Assert
    expect(key.toString('utf8')).toBe(STORED);
  });

  it('never makes the key for a function that only verifies: before the first mail every token fails, and the real key is read once it exists', async () => {
    // Arrange
    ssm
      .on(GetParameterCommand)
      .rejectsOnce(notFound())
      .resolves({ Parameter: { Value: STORED } });
    const { signingKey } = await freshAdapter();

    // Act
    const before = await signingKey();
    const after = await signingKey();

    // Assert
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
    expect(before.toString('utf8')).not.toBe(STORED);
    expect(after.toString('utf8')).toBe(STORED);
  });

  it('fails plainly on a too-short value or without a parameter name, and tries again on the next call', async () => {
    // Arrange
    ssm
      .on(GetParameterCommand)
      .resolvesOnce({ Parameter: { Value: 'short' } })
      .resolves({ Parameter: { Value: STORED } });
    const { signingKey } = await freshAdapter();

    // Act
    const short = await signingKey().catch((error: Error) => error.message);
    const retried = await signingKey();
    const unnamed = await freshAdapter().then(async (adapter) => {
      vi.stubEnv(SIGNING_KEY_PARAMETER_ENV, '');
      delete process.env[SIGNING_KEY_PARAMETER_ENV];
      return adapter.signingKey().catch((error: Error) => error.message);
    });

    // Assert
    expect(short).toBe('the signing key parameter is empty or too short');
    expect(retried.toString('utf8')).toBe(STORED);
    expect(unnamed).toBe(`neither ${SIGNING_KEY_PARAMETER_ENV} nor ${SIGNING_KEY_FILE_ENV} is set`);
  });

  it('reads a base64 file in the sandbox, without asking SSM', async () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), 'signing-key-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'signing-key');
    writeFileSync(file, `${Buffer.from('sandbox key of thirty-two bytes!').toString('base64')}\n`);
    vi.stubEnv(SIGNING_KEY_FILE_ENV, file);
    const { signingKeyCreatingIfMissing } = await freshAdapter();

    // Act
    const key = await signingKeyCreatingIfMissing();

    // Assert
    expect(key.toString('utf8')).toBe('sandbox key of thirty-two bytes!');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
  });
});
