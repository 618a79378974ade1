// A local Actions cache service for tests: the Twirp CacheService routes @actions/cache 6 calls (v2,
// JSON), with archives stored in Azurite, the Azure Storage emulator, through signed URLs.
import {
  BlobSASPermissions,
  BlobServiceClient,
  SASProtocol,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const ACCOUNT = 'devstoreaccount1';
// Azurite's well-known development key (azurite/dist/src/blob/utils/constants.js).
const ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const CONTAINER = 'actions-cache';
const ROUTE = '/twirp/github.actions.results.api.v1.CacheService/';

interface Entry {
  key: string;
  version: string;
  blob: string;
  finalized: boolean;
  createdAt: number;
}

export interface CacheService {
  /** The variables that point @actions/cache at this service. */
  env: Record<string, string>;
  /** Every RPC called, e.g. `GetCacheEntryDownloadURL`, in order. */
  calls: string[];
  /** Keys of the finalized entries. */
  keys(): string[];
  close(): Promise<void>;
}

/** Starts Azurite (blob only, in memory) and the Twirp service in front of it, both on 127.0.0.1. */
export async function startCacheService(): Promise<CacheService> {
  const azurite = await startAzurite();
  try {
    const credential = new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY);
    const blobs = new BlobServiceClient(`${azurite.url}/${ACCOUNT}`, credential);
    await blobs.getContainerClient(CONTAINER).create();
    const entries: Entry[] = [];
    const calls: string[] = [];
    let sequence = 0;
    const signed = (blob: string, permissions: string) => {
      const sas = generateBlobSASQueryParameters(
        {
          containerName: CONTAINER,
          blobName: blob,
          permissions: BlobSASPermissions.parse(permissions),
          expiresOn: new Date(Date.now() + 10 * 60_000),
          protocol: SASProtocol.HttpsAndHttp,
        },
        credential,
      );
      return `${azurite.url}/${ACCOUNT}/${CONTAINER}/${blob}?${sas.toString()}`;
    };
    const rpc: Record<string, (body: Record<string, unknown>) => Promise<[number, object]>> = {
      CreateCacheEntry: async ({ key, version }) => {
        const existing = entries.findIndex((e) => e.key === key && e.version === version);
        if (existing >= 0 && entries[existing]!.finalized) {
          return [409, { code: 'already_exists', msg: 'cache entry already exists' }];
        }
        // An entry whose upload never finished must not block its key for ever.
        if (existing >= 0) entries.splice(existing, 1);
        const blob = `entry-${++sequence}`;
        entries.push({
          key: String(key),
          version: String(version),
          blob,
          finalized: false,
          createdAt: sequence,
        });
        return [200, { ok: true, signed_upload_url: signed(blob, 'cw') }];
      },
      FinalizeCacheEntryUpload: async ({ key, version, size_bytes }) => {
        const entry = entries.find((e) => e.key === key && e.version === version && !e.finalized);
        if (!entry) return [404, { code: 'not_found', msg: 'no such cache entry' }];
        const properties = await blobs
          .getContainerClient(CONTAINER)
          .getBlobClient(entry.blob)
          .getProperties();
        if (properties.contentLength !== Number(size_bytes)) {
          return [400, { code: 'invalid_argument', msg: 'size does not match the upload' }];
        }
        entry.finalized = true;
        return [200, { ok: true, entry_id: String(entry.createdAt) }];
      },
      GetCacheEntryDownloadURL: async ({ key, restore_keys, version }) => {
        const candidates = entries
          .filter((e) => e.finalized && e.version === version)
          .sort((a, b) => b.createdAt - a.createdAt);
        const prefixes = [String(key), ...((restore_keys as string[] | undefined) ?? [])];
        const match =
          candidates.find((e) => e.key === key) ??
          prefixes.map((prefix) => candidates.find((e) => e.key.startsWith(prefix))).find(Boolean);
        if (!match) return [200, { ok: false }];
        return [200, { ok: true, signed_download_url: signed(match.blob, 'r'), matched_key: match.key }];
      },
    };
    const server = createServer((request, response) => {
      void handle(request, response);
    });
    const handle = async (request: IncomingMessage, response: ServerResponse) => {
      const reply = (status: number, body: object) => {
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      const method = request.url?.startsWith(ROUTE) ? request.url.slice(ROUTE.length) : '';
      const handler = rpc[method];
      if (request.method !== 'POST' || !handler)
        return reply(404, { code: 'bad_route', msg: 'no such method' });
      if (!request.headers.authorization?.startsWith('Bearer ')) {
        return reply(401, { code: 'unauthenticated', msg: 'no token' });
      }
      calls.push(method);
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      try {
        const [status, body] = await handler(JSON.parse(Buffer.concat(chunks).toString() || '{}'));
        reply(status, body);
      } catch (error) {
        reply(500, { code: 'internal', msg: (error as Error).message });
      }
    };
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      env: {
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_RESULTS_URL: `http://127.0.0.1:${port}/`,
        ACTIONS_RUNTIME_TOKEN: 'test-runtime-token',
      },
      calls,
      keys: () => entries.filter((e) => e.finalized).map((e) => e.key),
      close: async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        await azurite.stop();
      },
    };
  } catch (error) {
    await azurite.stop();
    throw error;
  }
}

async function startAzurite(): Promise<{ url: string; stop(): Promise<void> }> {
  const main = createRequire(import.meta.url).resolve('azurite/dist/src/blob/main.js');
  // --skipApiVersionCheck: the storage SDK @actions/cache bundles speaks a newer API version than
  // Azurite knows. Port 0 and the "listens on" line avoid a race for a free port.
  const child: ChildProcess = spawn(
    process.execPath,
    [
      main,
      ...['--blobHost', '127.0.0.1', '--blobPort', '0'],
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  };
  const url = await new Promise<string | undefined>((resolve) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /successfully listens on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', () => resolve(undefined));
  });
  if (!url) throw new Error('Azurite exited before listening');
  return { url, stop };
}
