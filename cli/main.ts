#!/usr/bin/env node
// The `claimhub` command: start the hub, test mappings, print the config schema.
import { readFile } from 'node:fs/promises';
import { MllpClient } from '../connectors/hl7v2/mllp-client.js';
import { Command } from 'commander';
import { ClaimhubError } from '../canonical-model/errors.js';
import { createTranslator } from '../mappings/translate.js';
import { configSchema } from './config/schema.js';
import { loadConfig, publicConfig } from './config/load.js';
import { startHub } from './hub.js';
import { createLogger } from './log.js';
import { registerOpsCommands } from './ops-commands.js';
import { registerKeyCommands } from './key-commands.js';
import { registerMappingCommands } from './mapping-commands.js';

/** A newcomer never meets a stack trace: typed errors print what and where, then exit. */
function explain(error: unknown): never {
  if (error instanceof ClaimhubError) {
    process.stderr.write(`claimhub: ${error.message}\n`);
    for (const issue of error.issues) process.stderr.write(`  - ${issue.path}: ${issue.message} [${issue.rule}]\n`);
    process.exit(2);
  }
  process.stderr.write(`claimhub: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

const program = new Command('claimhub')
  .description('healthcare claims integration hub')
  .option('-c, --config <file>', 'configuration file (default: $CLAIMHUB_CONFIG or ./claimhub.config.yaml)');

program
  .command('start')
  .description('run the gateway and the workers in one process')
  .action(async () => {
    const config = loadConfig({ configPath: program.opts<{ config?: string }>().config });
    const log = createLogger(config.logLevel);
    const hub = await startHub(config, log);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(1);
      }
      stopping = true;
      log.info({ signal }, 'shutting down: draining workers, closing Redis and the store');
      hub.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });

const mappings = program.command('mappings').description('list and test mappings, and manage their versions on a running hub');
mappings
  .command('test <mapping> <file>')
  .description('run a mapping on a sample file: prints the canonical JSON, or the validation errors (exit 1)')
  .action(async (mapping: string, file: string) => {
    const config = loadConfig({ configPath: program.opts<{ config?: string }>().config });
    const translator = await createTranslator({ mappingDirs: config.mappingDirs });
    const result = await translator.testMapping(mapping, await readFile(file, 'utf8'));
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    process.exitCode = result.ok ? 0 : 1;
  });
mappings
  .command('list')
  .description('the mappings this hub would load, with versions and checksums')
  .action(async () => {
    const config = loadConfig({ configPath: program.opts<{ config?: string }>().config });
    const translator = await createTranslator({ mappingDirs: config.mappingDirs });
    for (const m of translator.mappings()) process.stdout.write(`${m.name}@${m.version}  ${m.checksum.slice(0, 12)}  ${m.path}\n`);
  });
registerMappingCommands(mappings);

program
  .command('mllp-send <files...>')
  .description('send HL7 v2 files over MLLP (one frame each, segments ended with CR) and print each answer')
  .option('--host <host>', 'listener host', '127.0.0.1')
  .option('--port <port>', 'listener port (default CLAIMHUB_MLLP_PORT or 2575)')
  .option('--tls-ca <file>', 'connect with TLS, trusting this CA certificate (PEM)')
  .action(async (files: string[], options: { host: string; port?: string; tlsCa?: string }) => {
    const port = Number(options.port ?? process.env.CLAIMHUB_MLLP_PORT ?? 2575);
    const tls = options.tlsCa ? { ca: await readFile(options.tlsCa) } : undefined;
    const client = await MllpClient.connect({ host: options.host, port, tls });
    try {
      for (const file of files) {
        const text = (await readFile(file, 'utf8'))
          .trim()
          .split(/\r\n|\r|\n/)
          .join('\r');
        const reply = await client.send(text);
        process.stdout.write(`${file}:\n${reply.toString('utf8').split('\r').join('\n')}\n`);
      }
    } finally {
      await client.close();
    }
  });

registerOpsCommands(program);
registerKeyCommands(program);

const config = program.command('config').description('configuration helpers');
config
  .command('schema')
  .description('print the JSON Schema of claimhub.config.yaml')
  .action(() => {
    process.stdout.write(JSON.stringify(configSchema, null, 2) + '\n');
  });
config
  .command('check')
  .description('validate the configuration and print it resolved (secrets hidden)')
  .action(() => {
    const resolved = loadConfig({ configPath: program.opts<{ config?: string }>().config });
    process.stdout.write(JSON.stringify(publicConfig(resolved), null, 2) + '\n');
  });

program.parseAsync().catch(explain);
