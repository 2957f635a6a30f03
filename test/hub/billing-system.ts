// A billing system's MLLP listener for hub tests: a real socket on 127.0.0.1 that records every
// DFT it is sent (and when) and answers each with the next code of `script` (AA once the script is empty).
import { MllpServer } from '../../connectors/hl7v2/mllp-server.js';
import { parseHl7Message } from '../../connectors/hl7v2/parse.js';

export async function startBillingSystem() {
  const received: { controlId: string; text: string; at: number }[] = [];
  const script: string[] = [];
  const server = new MllpServer({
    port: 0,
    host: '127.0.0.1',
    handler: async (message) => {
      const text = message.text();
      const controlId = parseHl7Message(text).header.controlId;
      received.push({ controlId, text, at: Date.now() });
      const code = script.shift() ?? 'AA';
      const err = code === 'AE' ? '\rERR||PID^1^3|101^Required field missing^HL70357|E||||patient not registered here' : '';
      return `MSH|^~\\&|BILLING|BILL|CLAIMHUB|HUB|20261125||ACK^P03^ACK|B${received.length}|P|2.5.1\rMSA|${code}|${controlId}${err}`;
    },
    onError: () => 'MSH|^~\\&|BILLING|BILL|||20261125||ACK|X|P|2.5.1\rMSA|AR|',
  });
  const { port } = await server.listen();
  return { port, received, script, close: () => server.close() };
}

export type BillingSystem = Awaited<ReturnType<typeof startBillingSystem>>;

/** Hub config: every claim routed to the billing system over MLLP, retried fast. */
export function billingConfig(port: number, attempts = 4): string {
  return `destinations:
  - id: billing
    type: mllp
    host: 127.0.0.1
    port: ${port}
    ackTimeout: 2s
    sendingApplication: CLAIMHUB
    receivingApplication: BILLING
    retry: { attempts: ${attempts}, backoff: { type: fixed, delay: 200ms } }
routes:
  - name: every claim to billing
    to: [billing]
`;
}
