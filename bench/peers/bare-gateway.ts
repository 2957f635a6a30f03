// Peer for the gateway benchmark: the same read (the list of mappings, as JSON) from a bare Express
// app whose only check is one bearer token compared in memory. No helmet, roles, rate limits,
// validation, audit or request log: what governance costs is read against this floor.
import { createHash } from 'node:crypto';
import express from 'express';

const expected = createHash('sha256').update(process.env.PEER_KEY ?? '').digest('hex');
const mappings = JSON.parse(process.env.PEER_BODY ?? '{"items":[]}') as unknown;
const app = express();
app.get('/v1/mappings', (req, res) => {
  const token = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
  if (createHash('sha256').update(token).digest('hex') !== expected) return void res.status(401).end();
  res.json(mappings);
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
