// Loaded into the operator's `run` process by the benchmark (node --import), never by the operator
// itself: it profiles the process from inside, on command over the IPC channel, so that a profile
// covers exactly the window the benchmark measures (idle resyncs) and not the start-up before it.
// Messages: {profile: 'start'}; {profile: 'stop', dir, name} writes NAME.cpuprofile and
// NAME.heapprofile (sampled allocations, collected ones included) into DIR; {snapshot: PATH} writes a
// heap snapshot. Each is answered with {done, files} or {error}.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

interface Command {
  profile?: 'start' | 'stop';
  dir?: string;
  name?: string;
  snapshot?: string;
}

const session = new Session();
session.connect();

function post<T = unknown>(method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as T))));
}

async function handle(command: Command): Promise<string[]> {
  if (command.profile === 'start') {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 500 });
    await post('Profiler.start');
    await post('HeapProfiler.enable');
    // Without the two flags V8 keeps only the samples still alive at the end; garbage is what we look for.
    await post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    return [];
  }
  if (command.profile === 'stop') {
    const cpu = await post<{ profile: unknown }>('Profiler.stop');
    const heap = await post<{ profile: unknown }>('HeapProfiler.stopSampling');
    const files = [join(command.dir!, `${command.name}.cpuprofile`), join(command.dir!, `${command.name}.heapprofile`)];
    writeFileSync(files[0]!, JSON.stringify(cpu.profile));
    writeFileSync(files[1]!, JSON.stringify(heap.profile));
    return files;
  }
  if (command.snapshot) return [writeHeapSnapshot(command.snapshot)];
  throw new Error(`unknown command ${JSON.stringify(command)}`);
}

if (process.send) {
  process.on('message', (command: Command) => {
    handle(command).then(
      (files) => process.send?.({ done: true, files }),
      (err: Error) => process.send?.({ error: err.message }),
    );
  });
  // The channel must not keep the process alive: `run` ends when its work ends, as without the hook.
  process.channel?.unref();
}
