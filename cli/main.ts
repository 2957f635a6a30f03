#!/usr/bin/env node
// The `claimhub` command: start the hub, test mappings, print the config schema.
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { ClaimhubError } from '../canonical-model/errors.js';
import { createTranslator } from '../mappings/translate.js';
import { configSchema } from './config/schema.js';
import { loadConfig } from './config/load.js';
import { startHub } from './hub.js';
import { createLogger } from './log.js';

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

const mappings = program.command('mappings').description('list and test mappings');
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
    process.stdout.write(
      JSON.stringify(
        { ...resolved, apiKey: resolved.apiKey ? '***' : undefined, databaseUrl: resolved.databaseUrl?.replace(/\/\/[^@]*@/, '//***@') },
        null,
        2,
      ) + '\n',
    );
  });

program.parseAsync().catch(explain);
