// The x12 destination in claimhub.config.yaml: checked at start-up, with errors that name the key,
// including what the ISA, GS and 1000A/1000B cannot carry.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type Issue } from '../../../../canonical-model/errors.js';
import { loadConfig } from '../../../../cli/config/load.js';
import { PROFILE } from '../write/support.js';

/** A config file with one x12 destination (`profile` the writer tests' one unless given), routed everything. */
async function load(destination: Record<string, unknown>) {
  const dir = await mkdtemp(join(tmpdir(), 'claimhub-config-'));
  const path = join(dir, 'claimhub.config.yaml');
  // YAML takes JSON as it is
  const destinations = [{ id: 'clearinghouse', type: 'x12', dir: './x12-out', profile: PROFILE, ...destination }];
  await writeFile(path, `destinations: ${JSON.stringify(destinations)}\nroutes:\n  - name: all\n    to: [clearinghouse]\n`);
  return { dir, config: () => loadConfig({ configPath: path, env: {} }) };
}

const profile = (change: (p: Record<string, any>) => void) => {
  const changed: Record<string, any> = structuredClone(PROFILE);
  change(changed);
  return changed;
};

function issues(load: () => unknown): Issue[] {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.issues;
  }
  return assert.fail('the configuration was accepted');
}

describe('x12 destination configuration', () => {
  it('reads an x12 destination: folder beside the config file, the profile as given, the set size', async () => {
    const { dir, config } = await load({ maxClaimsPerTransactionSet: 1000 });
    const [destination] = config().destinations;
    assert.ok(destination.type === 'x12');
    assert.equal(destination.dir, join(dir, 'x12-out'));
    assert.equal(destination.maxClaimsPerTransactionSet, 1000);
    assert.deepEqual(destination.profile, PROFILE);
  });

  it('names a missing profile and a missing profile key', async () => {
    assert.ok(issues((await load({ profile: undefined })).config).some((i) => i.path === 'destinations.0' && /profile/.test(i.message)));
    const found = issues((await load({ profile: profile((p) => delete p.usage) })).config);
    assert.ok(
      found.some((i) => i.path === 'destinations.0.profile' && /usage/.test(i.message)),
      JSON.stringify(found),
    );
  });

  it('names an ISA15 that is neither P nor T, and an unknown profile key', async () => {
    const changed = profile((p) => {
      p.usage = 'X';
      p.reciever = p.receiver;
    });
    const found = issues((await load({ profile: changed })).config);
    assert.ok(
      found.some((i) => i.path === 'destinations.0.profile.usage' && /P, T/.test(i.message)),
      JSON.stringify(found),
    );
    assert.ok(
      found.some((i) => i.path === 'destinations.0.profile' && /unknown key "reciever"/.test(i.message)),
      JSON.stringify(found),
    );
  });

  it('names what the envelope cannot carry: a sender ID over 15 characters, a qualifier, a contact without a number', async () => {
    const changed = profile((p) => {
      p.senderId = 'FLATIRONSBILLINGCO';
      p.receiverQualifier = 'XX';
      p.submitter.contact = { name: 'EDI Desk' };
    });
    const found = issues((await load({ profile: changed })).config);
    assert.deepEqual(found.map((i) => i.path).sort(), [
      'destinations[0].profile.receiverQualifier',
      'destinations[0].profile.senderId',
      'destinations[0].profile.submitter.contact',
    ]);
    assert.match(found.find((i) => i.path.endsWith('senderId'))!.message, /ISA06/);
  });

  it('refuses a transaction set size over the guides’ maximum of 5000 claims', async () => {
    const found = issues((await load({ maxClaimsPerTransactionSet: 5001 })).config);
    assert.ok(
      found.some((i) => i.path === 'destinations.0.maxClaimsPerTransactionSet' && i.rule === 'maximum'),
      JSON.stringify(found),
    );
  });
});
