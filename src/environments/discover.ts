// Which environments a revision holds, and which documents each includes. A revision without an
// Environment document is one implicit environment of every file (a plain folder works as always).
// With Environments, each renders the files its `include` names (folders at any depth, or files,
// relative to its own file and inside the source); a file no environment includes is told as a
// warning and rendered nowhere. An Environment's file holds nothing else, and an environment cannot
// include another environment's file.
import { posix } from 'node:path';
import type { Diagnostic, Kind, Revision } from '../core/types.js';
import type { Findings } from '../desired/documents.js';
import { named } from '../desired/messages.js';
import { parseManifestFile, type FileDocument, type ParseLimits, type ParsedFile } from '../desired/parse.js';
import { isObject } from '../normalize/common.js';
import { diagnosticAt, environmentPrefix } from './locator.js';
import { readEnvironment, type EnvironmentDocument } from './model.js';
import { ENVIRONMENT_KIND } from './schema.js';

/** One environment to render: its Environment (none for the implicit one), the documents it includes, what was found about them. */
export interface DiscoveredEnvironment {
  environment?: EnvironmentDocument;
  documents: FileDocument[];
  found: Findings;
}

export interface Discovery {
  environments: DiscoveredEnvironment[];
  /** Problems of the revision outside any one environment (a broken file no environment includes, two environments of one name). */
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

const isEnvironment = (doc: FileDocument) => isObject(doc.value) && doc.value.kind === ENVIRONMENT_KIND;

/**
 * Whether a file that did not parse reads as an Environment (`kind: Environment` on a line of its
 * own, YAML or JSON): a broken Environment must not turn its revision into a plain folder, whose
 * documents would all be told about again as if no environment existed.
 */
const brokenEnvironment = (file: ParsedFile, text: string) =>
  file.diagnostics.some((d) => d.severity === 'error') && !file.documents.some(isEnvironment) && /^\s*["']?kind["']?\s*:\s*["']?Environment["']?\s*,?\s*(#.*)?$/m.test(text);

/** Whether a normalized path lies inside a root ('.' is the whole source, as a source root's files are named). */
export function inside(root: string, path: string): boolean {
  if (root === '.') return path !== '..' && !path.startsWith('../') && !posix.isAbsolute(path);
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

const under = (folder: string, file: string) => folder === '.' ? !file.startsWith('../') && !posix.isAbsolute(file) : file === folder || file.startsWith(`${folder}/`);

/**
 * The environments of a revision. `roots`: the folders (or files) includes must stay inside, named as
 * the revision names its files; default: the revision's own root.
 */
export function discover(revision: Revision, limits: ParseLimits, rootsGiven: readonly string[] | undefined, kinds: readonly Kind[]): Discovery {
  const roots = rootsGiven ?? ['.'];
  const parsed = new Map<string, ParsedFile>();
  for (const file of [...revision.files.keys()].sort()) parsed.set(file, parseManifestFile(file, revision.files.get(file)!, limits));
  const sorted = (files: Iterable<string>, into: Findings) => {
    for (const file of files) for (const d of parsed.get(file)!.diagnostics) (d.severity === 'error' ? into.errors : into.warnings).push(d);
  };
  const envFiles = [...parsed].filter(([, p]) => p.documents.some(isEnvironment)).map(([file]) => file);
  const broken = [...parsed].filter(([file, p]) => brokenEnvironment(p, revision.files.get(file)!)).map(([file]) => file);
  if (envFiles.length === 0 && broken.length === 0) {
    const found: Findings = { errors: [...(revision.unreadable ?? [])], warnings: [] };
    sorted(parsed.keys(), found);
    return { environments: [{ documents: [...parsed.values()].flatMap((p) => p.documents), found }], errors: [], warnings: [] };
  }
  const global: Findings = { errors: [...(revision.unreadable ?? [])], warnings: [] };
  const environments: DiscoveredEnvironment[] = [];
  const byName = new Map<string, EnvironmentDocument>();
  const included = new Set<string>([...envFiles, ...broken]);
  // An Environment that cannot be read includes what it includes: nothing is told as left out then.
  let unread = broken.length > 0;
  sorted(broken, global);
  for (const file of envFiles) {
    const { documents } = parsed.get(file)!;
    const env = documents.find(isEnvironment)!;
    for (const other of documents) {
      if (other !== env) global.errors.push(other.locator.diagnostic('', 'a file with an Environment holds only the Environment: move this document to a file of its own'));
    }
    const found: Findings = { errors: [], warnings: [] };
    sorted([file], found);
    const { environment, errors } = readEnvironment(env, kinds);
    found.errors.push(...errors);
    if (!environment) {
      global.errors.push(...found.errors);
      unread = true;
      continue;
    }
    const first = byName.get(environment.name);
    if (first) {
      global.errors.push(env.locator.diagnostic('/metadata/name', `duplicate ${named(ENVIRONMENT_KIND, environment.name)}: first defined at ${first.file}:${parsed.get(first.file)!.documents.find(isEnvironment)!.locator.start.line}`));
      continue;
    }
    byName.set(environment.name, environment);
    const files = includes(environment, [...parsed.keys()], envFiles, parsed, roots, found);
    for (const f of files) included.add(f);
    sorted(files, found);
    environments.push({ environment, documents: files.flatMap((f) => parsed.get(f)!.documents), found });
  }
  for (const file of parsed.keys()) {
    if (included.has(file)) continue;
    sorted([file], global);
    if (!unread) global.warnings.push({ file, line: 1, col: 1, severity: 'warning', path: '', message: 'not included by any Environment: not rendered' });
  }
  environments.sort((a, b) => (a.environment!.name < b.environment!.name ? -1 : 1));
  return { environments, errors: global.errors, warnings: global.warnings };
}

/** The files an environment includes, sorted; errors about its include entries pushed into `found`. */
function includes(environment: EnvironmentDocument, files: readonly string[], envFiles: readonly string[], parsed: ReadonlyMap<string, ParsedFile>, roots: readonly string[], found: Findings): string[] {
  const prefix = environmentPrefix(environment.name);
  const out = new Set<string>();
  for (const entry of environment.include) {
    const path = posix.normalize(posix.join(posix.dirname(environment.file), entry.path)).replace(/(.)\/$/, '$1');
    const fail = (message: string) => found.errors.push(diagnosticAt(entry.at, prefix, message, 'value'));
    if (!roots.some((root) => inside(root, path))) {
      fail(`include ${JSON.stringify(entry.path)} is outside the source (${roots.join(', ')}): an environment includes only what the source holds`);
      continue;
    }
    if (path === environment.file) {
      fail(`include ${JSON.stringify(entry.path)} is this Environment's own file`);
      continue;
    }
    const matched = files.filter((file) => under(path, file) && file !== environment.file);
    if (matched.length === 0) {
      fail(`include ${JSON.stringify(entry.path)} names no manifest file or folder of the source${path === posix.dirname(environment.file) ? ' besides this Environment' : ''}`);
      continue;
    }
    for (const file of matched) {
      if (envFiles.includes(file)) {
        const other = parsed.get(file)!.documents.find(isEnvironment)!;
        const name = isObject(other.value) && isObject(other.value.metadata) ? other.value.metadata.name : undefined;
        fail(`include ${JSON.stringify(entry.path)} takes in ${file}, which holds ${typeof name === 'string' ? named(ENVIRONMENT_KIND, name) : 'an Environment'}: an environment cannot include another (include the base they share)`);
        continue;
      }
      out.add(file);
    }
  }
  return [...out].sort();
}
