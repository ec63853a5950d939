import * as crypto from 'crypto';
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';

/**
 * A local stand-in for the Bitwarden server, for the real bwdc: what a scheduled sync talks to
 * (read from the 2026.4.0 and 2026.6.1 sources: libs/services/api.service.ts,
 * jslib/common/src/services/api.service.ts, and checked by recording every request).
 *
 * - `POST /identity/connect/token`, form-encoded, `grant_type=client_credentials`,
 *   `scope=api.organization`, `client_id=organization.<uuid>`, `client_secret`, and the device
 *   fields. Answers like Bitwarden's identity server for an organization API key:
 *   `{access_token, expires_in: 3600, token_type: "Bearer", scope: "api.organization"}` (no
 *   refresh token). bwdc decodes the access token (JWT, 3 parts, base64url payload): it reads
 *   `exp` before each authenticated request (under 5 minutes left: it logs in again with the
 *   stored client credentials), so the token is a syntactically valid, unsigned JWT
 *   (`alg: none`) with the claims the real server's organization token carries. A wrong client
 *   id or secret gets what the real server answers: 400 `{"error":"invalid_client"}`.
 * - `POST /api/public/organization/import` with `Authorization: Bearer <token>`: the JSON
 *   body is recorded; the real server answers 200 with an empty body. Errors use the public
 *   API's shape, `{"object":"error","message":"…","errors":null}` (bwdc prints `message`; it reads
 *   `Message` or `message`). 401/403 would make bwdc log itself out, so a bad token gets 401.
 * Anything else is answered 404 and recorded, so a test sees any call it did not expect.
 *
 * Every request is recorded with its method, path, headers (Authorization and the client
 * secret redacted) and parsed body.
 */

export type TokenMode = 'accept' | 'reject-secret' | 'hang';
export type ImportMode =
  | 'accept'
  /** 400 with the public API's error body and this message (what a failed import answers). */
  | { readonly status: 400; readonly message: string }
  /** 500 `An unhandled server error has occurred.`, as the server's exception filter answers. */
  | 'server-error'
  | 'hang';

export interface ApiStandInOptions {
  /** `organization.<uuid>`: the only client id the identity endpoint accepts. */
  readonly clientId: string;
  readonly clientSecret: string;
  readonly token?: TokenMode;
  readonly import?: ImportMode;
  /** Lifetime of issued access tokens (default 3600 s, as the real server). */
  readonly tokenLifetimeSeconds?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** Lower-case header names; authorization shows only its scheme. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON, or form fields (client_secret redacted), or the raw text. */
  readonly body: unknown;
  /** Whether a form body's client_secret equalled the configured one (token requests only). */
  readonly secretMatched?: boolean;
  readonly status: number | 'hung';
  readonly at: number;
}

/** The JSON body bwdc posts to /api/public/organization/import. */
export interface ImportBody {
  readonly groups: { readonly name: string; readonly externalId: string; readonly memberExternalIds: string[] }[];
  readonly members: { readonly email: string; readonly externalId: string; readonly deleted: boolean }[];
  readonly overwriteExisting: boolean;
  readonly largeImport: boolean;
}

export interface ApiStandIn {
  /** The base URL for `bwdc config server` (identity at /identity, API at /api). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  setMode(mode: { readonly token?: TokenMode; readonly import?: ImportMode }): void;
  /** Bodies of every import request received so far, whatever it was answered (see requests). */
  imports(): ImportBody[];
  /** Forgets the recorded requests. */
  clear(): void;
  stop(): Promise<void>;
}

export const SERVER_ERROR_MESSAGE = 'An unhandled server error has occurred.';

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function accessToken(issuer: string, clientId: string, lifetime: number): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'none', typ: 'at+jwt' };
  const claims = {
    nbf: now,
    exp: now + lifetime,
    iss: issuer,
    client_id: clientId,
    client_sub: clientId.replace(/^organization\./, ''),
    client_type: 'Organization',
    jti: crypto.randomBytes(16).toString('hex').toUpperCase(),
    iat: now,
    scope: ['api.organization'],
  };
  return `${base64url(header)}.${base64url(claims)}.`;
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function redactedHeaders(request: http.IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    headers[name] = name === 'authorization' ? `${text.split(' ')[0] ?? ''} <redacted>` : text;
  }
  return headers;
}

/** Starts the stand-in on 127.0.0.1 (a free port). */
export async function startApiStandIn(options: ApiStandInOptions): Promise<ApiStandIn> {
  let tokenMode: TokenMode = options.token ?? 'accept';
  let importMode: ImportMode = options.import ?? 'accept';
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const requests: RecordedRequest[] = [];
  const issued = new Set<string>();
  const sockets = new Set<Socket>();
  let url = '';

  const server = http.createServer((request, response) => {
    void (async () => {
      const text = await readBody(request);
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const contentType = request.headers['content-type'] ?? '';
      let body: unknown = text;
      let form: URLSearchParams | undefined;
      if (contentType.includes('application/x-www-form-urlencoded')) {
        form = new URLSearchParams(text);
        const fields: Record<string, string> = {};
        for (const [key, value] of form) fields[key] = key === 'client_secret' ? '<redacted>' : value;
        body = fields;
      } else if (contentType.includes('application/json') && text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const record = (status: number | 'hung', extra: { secretMatched?: boolean } = {}): void => {
        requests.push({ method: request.method ?? '', path, headers: redactedHeaders(request), body, ...extra, status, at: Date.now() });
      };
      const json = (status: number, value: unknown): void => {
        const payload = JSON.stringify(value);
        response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(payload) });
        response.end(payload);
      };

      if (request.method === 'POST' && path === '/identity/connect/token') {
        const secretMatched = form?.get('client_secret') === options.clientSecret;
        if (tokenMode === 'hang') return record('hung', { secretMatched });
        if (form?.get('grant_type') !== 'client_credentials') {
          record(400, { secretMatched });
          return json(400, { error: 'unsupported_grant_type' });
        }
        if (tokenMode === 'reject-secret' || form.get('client_id') !== options.clientId || !secretMatched) {
          record(400, { secretMatched });
          return json(400, { error: 'invalid_client' });
        }
        const token = accessToken(`${url}/identity`, options.clientId, lifetime);
        issued.add(token);
        record(200, { secretMatched });
        return json(200, { access_token: token, expires_in: lifetime, token_type: 'Bearer', scope: 'api.organization' });
      }

      if (request.method === 'POST' && path === '/api/public/organization/import') {
        const bearer = (request.headers.authorization ?? '').replace(/^Bearer /, '');
        if (!issued.has(bearer)) {
          record(401);
          response.writeHead(401, { 'WWW-Authenticate': 'Bearer', 'Content-Length': 0 });
          return response.end();
        }
        if (importMode === 'hang') return record('hung');
        if (importMode === 'accept') {
          record(200);
          response.writeHead(200, { 'Content-Length': 0 });
          return response.end();
        }
        if (importMode === 'server-error') {
          record(500);
          return json(500, { object: 'error', message: SERVER_ERROR_MESSAGE, errors: null });
        }
        record(importMode.status);
        return json(importMode.status, { object: 'error', message: importMode.message, errors: null });
      }

      record(404);
      response.writeHead(404, { 'Content-Length': 0 });
      response.end();
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    setMode(mode) {
      if (mode.token !== undefined) tokenMode = mode.token;
      if (mode.import !== undefined) importMode = mode.import;
    },
    imports: () => requests.filter((r) => r.path === '/api/public/organization/import' && r.status !== 401).map((r) => r.body as ImportBody),
    clear: () => {
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
