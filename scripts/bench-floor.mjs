// The floors `npm run bench` measures propagate against (issue 13): the same traffic with no tool
// in the way, over the same kind of connections.
//
//   node scripts/bench-floor.mjs post <kubeconfig> <render.json>
//     POSTs every cluster's rendered objects (`kubefedctl render -o json`): the namespace first,
//     then the rest, 16 requests in flight per cluster (the client's default) over keep-alive
//     connections, every cluster at once. No reads, no planning, no retries.
//   node scripts/bench-floor.mjs list <kubeconfig> <render.json>
//     LISTs the same objects back from every cluster at once, in pages of 500 as kubectl does, and
//     decodes them: what merely reading the fleet's state costs.
//
// Prints one JSON line: { requests, failed, seconds } (seconds from the first request to the last
// answer; the bench times the whole process as it does propagate).
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const IN_FLIGHT = 16;
const PAGE = 500;

const [mode, kubeconfigPath, renderPath] = process.argv.slice(2);
if (!['post', 'list'].includes(mode) || !kubeconfigPath || !renderPath) {
  console.error('usage: bench-floor.mjs post|list <kubeconfig> <render.json>');
  process.exit(1);
}

/** Server, CA and bearer token of a context of the harness's kubeconfig. */
function accessOf(config, contextName) {
  const context = config.contexts.find((c) => c.name === contextName)?.context;
  const cluster = config.clusters.find((c) => c.name === context?.cluster)?.cluster;
  const user = config.users.find((u) => u.name === context?.user)?.user;
  if (!cluster || !user?.token) throw new Error(`context ${contextName}: no server or token in ${kubeconfigPath}`);
  const url = new URL(cluster.server);
  const tls = cluster['certificate-authority-data']
    ? { ca: Buffer.from(cluster['certificate-authority-data'], 'base64') }
    : { rejectUnauthorized: false };
  const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
  return {
    url,
    token: user.token,
    lib: url.protocol === 'https:' ? https : http,
    agent: new Agent({ keepAlive: true, maxSockets: IN_FLIGHT, ...tls }),
  };
}

function send(access, method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = access.lib.request(
      new URL(path, access.url),
      {
        method,
        agent: access.agent,
        headers: {
          Authorization: `Bearer ${access.token}`,
          Accept: 'application/json',
          ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** The REST collection of an object (the bench's kinds only). */
function collectionOf(obj) {
  const plural = `${obj.kind.toLowerCase()}s`;
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const ns = obj.kind === 'Namespace' || !obj.metadata.namespace ? '' : `/namespaces/${obj.metadata.namespace}`;
  return `${base}${ns}/${plural}`;
}

/** Runs `work` over `items`, `limit` at a time. */
async function pool(items, limit, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

const config = parse(readFileSync(kubeconfigPath, 'utf8'));
const rendered = JSON.parse(readFileSync(renderPath, 'utf8')).clusters;
let requests = 0;
let failed = 0;
const started = process.hrtime.bigint();
await Promise.all(
  rendered.map(async ({ name, objects }) => {
    const access = accessOf(config, name);
    if (mode === 'post') {
      const namespaces = objects.filter((o) => o.kind === 'Namespace');
      const rest = objects.filter((o) => o.kind !== 'Namespace');
      for (const batch of [namespaces, rest])
        await pool(batch, IN_FLIGHT, async (obj) => {
          const r = await send(access, 'POST', collectionOf(obj), obj);
          requests++;
          if (r.status >= 300) failed++;
        });
    } else {
      const collections = [...new Set(objects.filter((o) => o.kind !== 'Namespace').map(collectionOf))];
      await Promise.all(
        collections.map(async (path) => {
          let next;
          do {
            const query = `?labelSelector=kubefed.io%2Fmanaged&limit=${PAGE}${next ? `&continue=${encodeURIComponent(next)}` : ''}`;
            const r = await send(access, 'GET', path + query);
            requests++;
            if (r.status >= 300) {
              failed++;
              break;
            }
            next = JSON.parse(r.body).metadata?.continue || undefined;
          } while (next);
        }),
      );
    }
    access.agent.destroy();
  }),
);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ mode, requests, failed, seconds }));
