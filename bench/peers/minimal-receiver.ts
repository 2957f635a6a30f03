// Peer for the end-to-end benchmark: the least a durable HTTP receiver can do — Express, body as
// text, one INSERT per request into PostgreSQL, 202. No parsing, mapping, queueing or delivery.
// claimhub's figures are read against what this floor achieves on the same machine in the same run.
import express from 'express';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(
  'CREATE TABLE IF NOT EXISTS peer_messages (id bigserial PRIMARY KEY, received_at timestamptz DEFAULT now(), raw text NOT NULL)',
);
const app = express();
app.post('/messages', express.text({ type: () => true, limit: '5mb' }), async (req, res) => {
  const { rows } = await pool.query<{ id: string }>('INSERT INTO peer_messages (raw) VALUES ($1) RETURNING id', [req.body]);
  res.status(202).json({ id: rows[0]!.id });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
