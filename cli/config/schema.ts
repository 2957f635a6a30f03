// JSON Schema of claimhub.config.yaml (published by `claimhub config schema` for editors).
import { mllpDestinationConfig } from '../../connectors/hl7v2/mllp-destination.js';

const duration = {
  description: 'A duration: milliseconds as a number, or text like "200ms", "1s", "10m", "1h".',
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h)$' },
  ],
};

const retry = {
  type: 'object',
  additionalProperties: false,
  properties: {
    attempts: { type: 'integer', minimum: 1, maximum: 100 },
    backoff: {
      type: 'object',
      additionalProperties: false,
      properties: { type: { enum: ['exponential', 'fixed'] }, delay: duration, max: duration },
    },
  },
};

const circuitBreaker = {
  type: 'object',
  additionalProperties: false,
  description:
    'Stops delivering to an endpoint that keeps failing (network, timeout, 5xx, 429, HL7 AR) and keeps its queue: after `failures` in a row, ' +
    'nothing for `cooldown`, then one probe; a failed probe doubles the cooldown up to `maxCooldown`. Default on: 5, 30s, 10m.',
  properties: {
    enabled: { type: 'boolean', description: 'false: no circuit breaker (default true).' },
    failures: { type: 'integer', minimum: 1, maximum: 1000 },
    cooldown: duration,
    maxCooldown: duration,
  },
};

const text = (description: string) => ({ type: 'string', minLength: 1, description });

/** An x12 destination's trading partner: ISA/GS parties, the 837's submitter (1000A) and receiver (1000B). */
const x12Profile = {
  type: 'object',
  additionalProperties: false,
  required: [
    'senderQualifier',
    'senderId',
    'receiverQualifier',
    'receiverId',
    'usage',
    'applicationSenderCode',
    'applicationReceiverCode',
    'submitter',
    'receiver',
  ],
  properties: {
    senderQualifier: text('ISA05 interchange ID qualifier: ZZ, 01, 14, 20, 27, 28, 29, 30 or 33.'),
    senderId: text('ISA06 interchange sender ID, up to 15 characters, written as given.'),
    receiverQualifier: text('ISA07 interchange ID qualifier.'),
    receiverId: text('ISA08 interchange receiver ID, up to 15 characters.'),
    usage: { enum: ['P', 'T'], description: 'ISA15: P production, T test.' },
    applicationSenderCode: text('GS02 application sender code, 2 to 15 characters.'),
    applicationReceiverCode: text('GS03 application receiver code, 2 to 15 characters.'),
    submitter: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'id', 'contact'],
      properties: {
        name: text('NM103 submitter organization name (1000A).'),
        id: text('NM109 submitter identifier (ETIN) the receiver assigned.'),
        contact: {
          type: 'object',
          additionalProperties: false,
          description: 'PER (1000A): a contact name and at least one of phone, email, fax.',
          properties: { name: text('PER02.'), phone: text('Telephone (TE).'), email: text('Email (EM).'), fax: text('Fax (FX).') },
        },
      },
    },
    receiver: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'id'],
      properties: { name: text('NM103 receiver name (1000B).'), id: text('NM109 receiver identifier (1000B).') },
    },
  },
};

const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$' };

/** What file-drop sources share: which files, how often, and where taken files go. */
const pickup = {
  pattern: {
    type: 'string',
    minLength: 1,
    pattern: '^[^/\\\\]+$',
    description: 'File names to take: a glob with * and ? (default "*"). Hidden and .tmp/.part/.filepart names are never taken.',
  },
  every: { ...duration, description: 'How often the folder is listed (default 30s).' },
  settle: { ...duration, description: 'How long a file must keep its size and modification time before it is taken (default 2s).' },
  archive: { type: 'string', minLength: 1, description: 'Where taken files and their acknowledgements go (default <folder>/archive).' },
  error: { type: 'string', minLength: 1, description: 'Where refused files and their errors go (default <folder>/error).' },
};

/** Where an MLLP listener binds. */
const mllpListener = {
  port: { type: 'integer', minimum: 0, maximum: 65535, description: 'TCP port (default CLAIMHUB_MLLP_PORT, 2575).' },
  host: { type: 'string', minLength: 1, description: 'Interface to bind (default all).' },
};

export const configSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://claimhub.dev/schemas/claimhub.config.schema.json',
  title: 'claimhub configuration',
  type: 'object',
  $defs: {
    rateLimit: {
      type: 'object',
      additionalProperties: false,
      required: ['requests', 'per'],
      properties: { requests: { type: 'integer', minimum: 1 }, per: { ...duration, description: 'The window, e.g. "1s", "1m".' } },
    },
  },
  additionalProperties: false,
  properties: {
    dataDir: { type: 'string', description: 'Embedded database, outbox and local files (CLAIMHUB_DATA_DIR).' },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    apiKey: {
      type: 'string',
      // Checked before secrets are resolved: "env:NAME" / "file:PATH" stand for the key.
      anyOf: [{ pattern: '^(env|file):.+' }, { minLength: 16 }],
      description: 'Bootstrap admin API key (at least 16 characters); use "env:NAME".',
    },
    gateway: {
      type: 'object',
      additionalProperties: false,
      properties: {
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        host: { type: 'string' },
        bodyLimit: { type: 'string', pattern: '^[0-9]+(b|kb|mb)$', description: 'Largest request body, e.g. "5mb".' },
        x12BodyLimit: {
          type: 'string',
          pattern: '^[0-9]+(b|kb|mb)$',
          description:
            'Largest X12 body sent as Content-Type application/edi-x12 (or application/x12): batch interchanges run to tens of MB. Default "64mb".',
        },
        jsonBodyLimit: {
          type: 'string',
          pattern: '^[0-9]+(b|kb|mb)$',
          description: 'Largest JSON body of an operator or admin request (replay, keys…). Default "64kb".',
        },
        requestTimeout: { ...duration, description: 'A request that has not been answered after this long gets 503 (default 60s).' },
        cors: {
          type: 'object',
          additionalProperties: false,
          description: 'Cross-origin access for browser clients. Closed by default: no origin is allowed.',
          properties: {
            origins: {
              type: 'array',
              items: { type: 'string', pattern: '^https?://[^/]+$' },
              description: 'Exact origins, e.g. "https://ops.example.org".',
            },
          },
        },
        versions: {
          type: 'object',
          description: 'Per API version (v1…): mark it deprecated, with the date it goes away and its successor.',
          propertyNames: { pattern: '^v[0-9]+$' },
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: {
              deprecated: { type: 'string', format: 'date-time', description: 'Since when (ISO 8601): sent as the Deprecation header.' },
              sunset: {
                type: 'string',
                format: 'date-time',
                description: 'When it stops answering (ISO 8601): sent as the Sunset header.',
              },
              successor: {
                type: 'string',
                pattern: '^/',
                description: 'Path of the version replacing it, e.g. "/v2": sent as Link rel="successor-version".',
              },
            },
          },
        },
      },
    },
    auth: {
      type: 'object',
      additionalProperties: false,
      properties: {
        oidc: {
          type: 'object',
          additionalProperties: false,
          required: ['issuer', 'audience'],
          description: 'Accept OIDC bearer JWTs from this identity provider, beside API keys.',
          properties: {
            issuer: { type: 'string', pattern: '^https?://', description: 'Exact "iss" of the tokens.' },
            jwksUri: {
              type: 'string',
              pattern: '^https?://',
              description: 'Signing keys; default: discovered from <issuer>/.well-known/openid-configuration.',
            },
            audience: {
              anyOf: [
                { type: 'string', minLength: 1 },
                { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
              ],
              description: 'Accepted "aud" values.',
            },
            clockSkew: { ...duration, description: 'Clock difference tolerated on exp/nbf (default 30s).' },
            rolesClaim: {
              type: 'string',
              minLength: 1,
              description: 'Claim holding roles, a dotted path (default "roles"; Keycloak: "realm_access.roles").',
            },
            roleMap: {
              type: 'object',
              description: 'Claim value → claimhub role. Values already named source, architect, ops, auditor or admin map to themselves.',
              additionalProperties: { enum: ['source', 'architect', 'ops', 'auditor', 'admin'] },
            },
            sourcesClaim: { type: 'string', minLength: 1, description: 'Claim listing the source ids a token may submit as.' },
            nameClaim: {
              type: 'string',
              minLength: 1,
              description: 'Claim naming the client in logs and the audit trail (default "sub").',
            },
          },
        },
      },
    },
    rateLimits: {
      type: 'object',
      additionalProperties: false,
      description: 'Request limits shared by every gateway process through Redis. None by default.',
      properties: {
        perClient: { $ref: '#/$defs/rateLimit' },
        clients: {
          type: 'object',
          description: 'Per client (API key name or token subject), replacing perClient.',
          additionalProperties: { $ref: '#/$defs/rateLimit' },
        },
        routes: {
          type: 'object',
          description: 'Per client per route, keyed "METHOD /v1/path" as in the OpenAPI document, e.g. "POST /v1/messages".',
          propertyNames: { pattern: '^(GET|POST|PUT|PATCH|DELETE) /v[0-9]+/' },
          additionalProperties: { $ref: '#/$defs/rateLimit' },
        },
        unauthenticated: {
          $ref: '#/$defs/rateLimit',
          description: 'Per IP address, for requests without valid credentials and public routes.',
        },
      },
    },
    mllp: {
      type: 'object',
      additionalProperties: false,
      description: 'The default HL7 v2 MLLP listener (source id "mllp"), used when no source of type mllp is declared.',
      properties: { enabled: { type: 'boolean', description: 'false: no default listener.' }, ...mllpListener },
    },
    database: { type: 'object', additionalProperties: false, properties: { url: { type: 'string' } } },
    redis: {
      type: 'object',
      additionalProperties: false,
      properties: { url: { type: 'string' }, prefix: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' } },
    },
    mappings: {
      type: 'object',
      additionalProperties: false,
      properties: {
        dirs: { type: 'array', items: { type: 'string' } },
        threads: {
          type: 'integer',
          minimum: 0,
          maximum: 64,
          description: 'Worker threads that run mappings (0: on the main thread). Default: cores − 1.',
        },
      },
    },
    ingest: {
      type: 'object',
      additionalProperties: false,
      properties: { concurrency: { type: 'integer', minimum: 1, maximum: 1000 }, retry },
    },
    recovery: {
      type: 'object',
      additionalProperties: false,
      properties: { every: duration, grace: duration },
    },
    routing: {
      type: 'object',
      additionalProperties: false,
      properties: { mode: { enum: ['first-match', 'fan-out'] } },
    },
    destinations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type'],
        properties: { id, type: { enum: ['file', 'x12', 'mllp', 'http'] } },
        allOf: [
          {
            if: { properties: { type: { const: 'http' } } },
            then: {
              additionalProperties: false,
              required: ['url'],
              properties: {
                id: true,
                type: true,
                retry,
                circuitBreaker,
                concurrency: { type: 'integer', minimum: 1, maximum: 1000, description: 'Requests at once (default 8).' },
                mapping: {
                  type: 'string',
                  minLength: 1,
                  description:
                    'An outbound mapping (source.format: canonical, target: external) that turns each canonical object into the document this destination sends.',
                },
                url: {
                  type: 'string',
                  pattern: '^([Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+|env:\\S+)',
                  description: 'http:// or https:// URL each delivery is sent to (or "env:NAME").',
                },
                method: { enum: ['POST', 'PUT'], description: 'Default POST.' },
                headers: {
                  type: 'object',
                  additionalProperties: { type: 'string' },
                  description: 'Extra request headers, e.g. Authorization: "Bearer env:ERP_TOKEN". Never printed.',
                },
                timeout: { ...duration, description: 'The whole request, connection to the last byte of the answer (default 30s).' },
                perObject: {
                  type: 'boolean',
                  description: 'One request per canonical object, Idempotency-Key <key>.<seq> (default: one per delivery).',
                },
                tls: {
                  type: 'object',
                  additionalProperties: false,
                  description:
                    'For https:// receivers with a private CA or asking for a client certificate. PEM text: use "file:PATH" or "env:NAME".',
                  properties: {
                    ca: { type: 'string', minLength: 1 },
                    cert: { type: 'string', minLength: 1 },
                    key: { type: 'string', minLength: 1 },
                    rejectUnauthorized: { type: 'boolean', description: 'false accepts any server certificate (tests only).' },
                  },
                },
              },
            },
          },
          {
            if: { properties: { type: { const: 'mllp' } } },
            then: {
              additionalProperties: false,
              required: [...mllpDestinationConfig.required],
              properties: {
                id: true,
                type: true,
                retry,
                circuitBreaker,
                concurrency: {
                  type: 'integer',
                  minimum: 1,
                  maximum: 1000,
                  description: 'Deliveries at once (default 1: MLLP sends one message at a time on its connection).',
                },
                ...mllpDestinationConfig.properties,
              },
            },
          },
          {
            if: { properties: { type: { const: 'file' } } },
            then: {
              additionalProperties: false,
              required: ['dir'],
              properties: {
                id: true,
                type: true,
                retry,
                circuitBreaker,
                dir: { type: 'string', minLength: 1 },
                concurrency: { type: 'integer', minimum: 1, maximum: 1000 },
                mapping: {
                  type: 'string',
                  minLength: 1,
                  description:
                    'An outbound mapping (source.format: canonical, target: external) that turns each canonical object into the document this destination sends.',
                },
              },
            },
          },
          {
            if: { properties: { type: { const: 'x12' } } },
            then: {
              additionalProperties: false,
              required: ['dir', 'profile'],
              properties: {
                id: true,
                type: true,
                retry,
                circuitBreaker,
                dir: { type: 'string', minLength: 1, description: 'Where each delivery is written as one 837 interchange file.' },
                concurrency: { type: 'integer', minimum: 1, maximum: 1000 },
                profile: x12Profile,
                maxClaimsPerTransactionSet: {
                  type: 'integer',
                  minimum: 1,
                  maximum: 5000,
                  description: "Claims per ST/SE; more are split into several sets (default 5000, the guides' recommended maximum).",
                },
              },
            },
          },
        ],
      },
    },
    sources: {
      description: 'Inbound connectors: file drops and SFTP folders the hub polls, MLLP listeners senders connect to.',
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type'],
        properties: { id, type: { enum: ['file', 'sftp', 'mllp'] } },
        allOf: [
          {
            if: { properties: { type: { const: 'mllp' } } },
            then: {
              additionalProperties: false,
              properties: {
                id: true,
                type: true,
                ...mllpListener,
                tls: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['key', 'cert'],
                  description: 'Listen with TLS (MLLP over TLS). PEM text: use "file:PATH".',
                  properties: {
                    key: { type: 'string', minLength: 1 },
                    cert: { type: 'string', minLength: 1 },
                    ca: { type: 'string', minLength: 1, description: 'CA certificates clients must be signed by (with requestCert).' },
                    requestCert: { type: 'boolean', description: 'Require a client certificate signed by `ca`.' },
                  },
                },
                maxFrameBytes: {
                  type: 'integer',
                  minimum: 1024,
                  maximum: 268435456,
                  description: 'Largest message accepted (default 4 MiB); larger frames are answered AR.',
                },
                idleTimeout: { ...duration, description: 'Close a connection after this long without traffic (default: never).' },
                charset: { type: 'string', minLength: 1, description: 'Character set of the payloads (WHATWG label, default utf-8).' },
                maxInFlight: {
                  type: 'integer',
                  minimum: 1,
                  maximum: 100000,
                  description: 'Messages being stored at once across connections; beyond it frames are answered AR (busy). Default 1000.',
                },
                acknowledge: {
                  enum: ['after-translation', 'after-commit'],
                  description:
                    'When AA is sent: after-translation (default) once the message is translated and stored, so AE names content errors; after-commit once it is parsed and stored, its mapping run afterwards (refusals become dead letters).',
                },
              },
            },
          },
          {
            if: { properties: { type: { const: 'file' } } },
            then: {
              additionalProperties: false,
              required: ['dir'],
              properties: {
                id: true,
                type: true,
                dir: { type: 'string', minLength: 1, description: 'The local folder to pick files up from.' },
                ...pickup,
              },
            },
          },
          {
            if: { properties: { type: { const: 'sftp' } } },
            then: {
              additionalProperties: false,
              required: ['host', 'username', 'path'],
              properties: {
                id: true,
                type: true,
                host: { type: 'string', minLength: 1 },
                port: { type: 'integer', minimum: 1, maximum: 65535 },
                username: { type: 'string', minLength: 1 },
                password: { type: 'string', minLength: 1, description: 'Use "env:NAME".' },
                privateKey: { type: 'string', minLength: 1, description: 'An OpenSSH or PEM private key; use "file:PATH" or "env:NAME".' },
                hostFingerprint: {
                  type: 'string',
                  pattern: '^SHA256:[A-Za-z0-9+/]{43}=?$',
                  description: 'The server host key as `ssh-keygen -lf` prints it (SHA256:…); the connection is refused on any other key.',
                },
                path: { type: 'string', minLength: 1, description: 'The remote folder to pick files up from.' },
                ...pickup,
              },
            },
          },
        ],
      },
    },
    routes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'to'],
        properties: {
          name: { type: 'string', minLength: 1 },
          when: { type: 'string', minLength: 1, description: 'JSONata predicate over the canonical object.' },
          to: { type: 'array', minItems: 1, items: id },
          priority: { type: 'integer', minimum: 1, maximum: 2097152 },
          requires: {
            type: 'array',
            uniqueItems: true,
            items: { enum: ['priorAuthorization'] },
            description:
              'What a claim must have before this route sends it; a claim without it is held (priorAuthorization: a number on the claim or every line, or a stored approved 278 that covers it).',
          },
        },
      },
    },
  },
} as const;
