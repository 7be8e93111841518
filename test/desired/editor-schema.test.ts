// The combined schema (schemas/manifest.schema.json) in a real editor backend: yaml-language-server,
// driven over stdio with LSP JSON-RPC (initialize, didOpen, publishDiagnostics), flags a typo in the
// second document of a multi-document file of mixed kinds, with the modeline of the README in each
// document, and with a file association (how a folder is set up) and no modeline at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';

const SCHEMA = fileURLToPath(new URL('../../schemas/manifest.schema.json', import.meta.url));
const SERVER = createRequire(import.meta.url).resolve('yaml-language-server/bin/yaml-language-server');

interface Diagnostic {
  range: { start: { line: number; character: number } };
  message: string;
}

/** A language server over stdio: requests, notifications, and every notification it sends. */
class LanguageServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private readonly listeners: Array<(method: string, params: unknown) => void> = [];

  constructor(private readonly settings: object) {
    this.child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.handle(message);
    }
  }

  private handle(message: { id?: number; method?: string; params?: unknown; result?: unknown }): void {
    if (message.method && message.id !== undefined) {
      // A request from the server: its configuration is the settings; anything else is acknowledged.
      const items = (message.params as { items?: Array<{ section?: string }> } | undefined)?.items ?? [];
      const result = message.method === 'workspace/configuration' ? items.map((i) => (i.section === 'yaml' ? this.settings : null)) : null;
      this.send({ id: message.id, result });
    } else if (message.method) {
      for (const listener of this.listeners) listener(message.method, message.params);
    } else if (message.id !== undefined) {
      this.pending.get(message.id)?.(message.result);
    }
  }

  request(method: string, params: object): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: object): void {
    this.send({ method, params });
  }

  /** The first publishDiagnostics for `uri` that satisfies `ready`. */
  diagnostics(uri: string, ready: (list: Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} in ${timeoutMs} ms`)), timeoutMs);
      this.listeners.push((method, params) => {
        const p = params as { uri: string; diagnostics: Diagnostic[] };
        if (method === 'textDocument/publishDiagnostics' && p.uri === uri && ready(p.diagnostics)) {
          clearTimeout(timer);
          resolve(p.diagnostics);
        }
      });
    });
  }

  async start(): Promise<void> {
    await this.request('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    this.notify('initialized', {});
    this.notify('workspace/didChangeConfiguration', { settings: { yaml: this.settings } });
  }

  async stop(): Promise<void> {
    await this.request('shutdown', {});
    this.notify('exit', {});
    await new Promise((resolve) => (this.child.exitCode === null ? this.child.on('close', resolve) : resolve(undefined)));
  }
}

// Two documents of two kinds; the second (a Service) misspells desiredCount.
const documents = (modeline: string) => [
  `${modeline}apiVersion: ecs-operator.dev/v1alpha1`,
  'kind: TaskDefinition',
  'metadata: {name: web}',
  'spec:',
  '  containerDefinitions:',
  '    - {name: web, image: nginx, memory: 256}',
  '---',
  `${modeline}apiVersion: ecs-operator.dev/v1alpha1`,
  'kind: Service',
  'metadata: {name: web}',
  'spec:',
  '  taskDefinition: web',
  '  desiredCont: 2',
  '',
].join('\n');

const BASE_SETTINGS = { validate: true, schemaStore: { enable: false }, format: { enable: false } };

async function diagnose(settings: object, text: string, path: string): Promise<Diagnostic[]> {
  const server = new LanguageServer({ ...BASE_SETTINGS, ...settings });
  try {
    await server.start();
    const uri = pathToFileURL(path).href;
    const published = server.diagnostics(uri, (list) => list.length > 0);
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return await published;
  } finally {
    await server.stop();
  }
}

const typoLine = (text: string) => text.split('\n').findIndex((l) => l.includes('desiredCont:'));

test('yaml-language-server flags a typo in the second document, with the modeline in each document', async () => {
  const text = documents(`# yaml-language-server: $schema=${SCHEMA}\n`);
  const diagnostics = await diagnose({}, text, '/tmp/ecs-operator-editor/app.yaml');
  assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.message]), [[typoLine(text), 'Property desiredCont is not allowed.']]);
});

test('yaml-language-server flags a typo in the second document, with the schema associated to the folder', async () => {
  const text = documents('');
  const diagnostics = await diagnose({ schemas: { [pathToFileURL(SCHEMA).href]: '/tmp/ecs-operator-editor/**/*.yaml' } }, text, '/tmp/ecs-operator-editor/apps/web.yaml');
  assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.message]), [[typoLine(text), 'Property desiredCont is not allowed.']]);
});

test('the combined schema accepts and rejects what the loader does, choosing the schema by kind', () => {
  const validate = new Ajv({ allErrors: true, strict: true }).addVocabulary(['x-create-only', 'x-update-via', 'patternErrorMessage']).compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
  const manifest = (kind: string, spec: object) => ({ apiVersion: 'ecs-operator.dev/v1alpha1', kind, metadata: { name: 'web' }, spec });
  assert.equal(validate(manifest('Cluster', { clusterName: 'prod' })), true);
  assert.equal(validate(manifest('ServiceAutoScaling', { service: 'web', minCapacity: 1, maxCapacity: 2 })), true);
  assert.equal(validate(manifest('Service', { desiredCount: -1 })), false, 'the Service schema applies: a negative count');
  assert.equal(validate(manifest('Cluster', { desiredCount: 1 })), false, 'the Cluster schema applies: no desiredCount');
  assert.equal(validate(manifest('Servce', {})), false, 'an unknown kind');
});
