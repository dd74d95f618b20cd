// The adapters find AWS (or an emulator) only through the SDK's own endpoint variables. In a unit test there
// must be none: the integration suite's sandbox runs in a process of its own (test/integration/global-setup.ts),
// so a unit test that forgot to mock a client fails instead of quietly writing to a sandbox.
import { describe, expect, it } from 'vitest';

describe('the unit tests’ environment', () => {
  it('holds no AWS endpoint variable', () => {
    expect(Object.keys(process.env).filter((name) => name.startsWith('AWS_ENDPOINT_URL'))).toEqual([]);
  });
});
