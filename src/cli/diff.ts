// `ecs-operator diff PATH...`: what applying would change, as a unified diff per resource (`-` is live,
// `+` is the manifest). Exit 0 in sync, 1 differences, 2 error. Reads only.
import type { Logger } from 'pino';
import { formatDiagnostic, type JsonObject } from '../core/types.js';
import { validatePaths } from '../desired/load.js';
import { formatDifferences, renderUnifiedDiff } from '../diff/render.js';
import { planAll, type PlannedResource } from '../runtime/plan-all.js';
import { createApp } from './app.js';
import { colorEnabled, painter, printJson, writeLine } from './output.js';

export interface DiffOptions {
  output: 'text' | 'json';
  color?: boolean;
  instance: string;
  adopt: boolean;
  log: Logger;
}

const MARK: Record<PlannedResource['action'], string> = { create: '+', update: '~', replace: '!', blocked: '!', error: '?', none: '=' };

export async function diffCommand(paths: string[], options: DiffOptions): Promise<number> {
  const loaded = await validatePaths(paths);
  if (!loaded.state) {
    for (const d of loaded.errors) writeLine(process.stderr, formatDiagnostic(d));
    writeLine(process.stderr, `cannot diff: ${loaded.errors.length} manifest error(s)`);
    return 2;
  }
  const app = await createApp();
  try {
    const planned = await planAll(loaded.state, { handlers: app.handlers, log: options.log, instance: options.instance, adopt: options.adopt });
    const exit = planned.some((p) => p.action === 'error') ? 2 : planned.some((p) => p.action !== 'none') ? 1 : 0;
    if (options.output === 'json') {
      printJson({
        inSync: exit === 0,
        revision: loaded.state.revision.id,
        resources: planned.map((p) => ({ key: p.key, action: p.action, differences: p.differences, ...(p.message ? { message: p.message } : {}) })),
      });
      return exit;
    }
    const color = colorEnabled(process.stdout, options.color);
    const paint = painter(color);
    for (const p of planned) {
      if (p.action === 'none') continue;
      writeLine(process.stdout, paint('bold', `${MARK[p.action]} ${p.key} (${p.action})`));
      if (p.message) writeLine(process.stdout, paint(p.action === 'error' ? 'red' : 'yellow', `  ${p.message}`));
      if (p.action === 'error') continue;
      const live = p.action === 'create' ? undefined : (p.liveSpec as JsonObject | undefined);
      const text = renderUnifiedDiff(p.key, p.desiredSpec as JsonObject, live, { color });
      if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      else for (const line of formatDifferences(p.differences)) writeLine(process.stdout, `  ${line}`);
    }
    const count = (a: PlannedResource['action']) => planned.filter((p) => p.action === a).length;
    writeLine(process.stdout, exit === 0
      ? paint('green', `in sync: ${planned.length} resource(s)`)
      : `${count('create')} to create, ${count('update')} to update, ${count('replace') + count('blocked')} blocked, ${count('error')} failed, ${count('none')} in sync`);
    return exit;
  } finally {
    app.close();
  }
}
